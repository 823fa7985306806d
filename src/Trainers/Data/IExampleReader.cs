namespace DeepLearning.Trainers.Data;

/// <summary>
/// Reads the current row of a cursor into one training example: the network input (a float
/// tensor of <see cref="ExampleLayout.InputShape"/>, flattened) and the target (floats of
/// <see cref="ExampleLayout.TargetShape"/>, flattened; converted to <see cref="ExampleLayout.TargetType"/>
/// when batched). Bad values throw an exception naming the column, the row and the value. Disposing
/// releases the input reader's buffers (decoded images, for instance); a reader that holds none
/// keeps the default, which does nothing.
/// </summary>
internal interface IExampleReader : IDisposable
{
    /// <summary>Reads the current row.</summary>
    /// <param name="input">Receives <see cref="ExampleLayout.InputLength"/> values.</param>
    /// <param name="target">Receives <see cref="ExampleLayout.TargetLength"/> values.</param>
    /// <param name="position">The row's position, for error messages.</param>
    void Read(Span<float> input, Span<float> target, long position);

    /// <summary>Releases the reader's buffers; by default nothing.</summary>
    void IDisposable.Dispose()
    {
    }
}

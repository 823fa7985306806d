namespace DeepLearning.Trainers.Training.Sources;

/// <summary>A managed buffer of up to one batch of examples, filled by a background reader.</summary>
/// <param name="capacity">Rows it holds.</param>
/// <param name="inputLength">Values per row of input.</param>
/// <param name="targetLength">Values per row of target.</param>
internal sealed class RowBlock(int capacity, int inputLength, int targetLength)
{
    /// <summary>Inputs, row after row.</summary>
    public float[] Inputs { get; } = new float[checked(capacity * inputLength)];

    /// <summary>Targets, row after row.</summary>
    public float[] Targets { get; } = new float[checked(capacity * targetLength)];

    /// <summary>Rows filled so far.</summary>
    public int Rows { get; set; }

    /// <summary>Whether every row is filled.</summary>
    public bool IsFull => Rows == capacity;

    /// <summary>Values per row of input.</summary>
    public int InputLength => inputLength;

    /// <summary>Values per row of target.</summary>
    public int TargetLength => targetLength;

    /// <summary>The input of row <paramref name="row"/>.</summary>
    public Span<float> Input(int row) => Inputs.AsSpan(row * inputLength, inputLength);

    /// <summary>The target of row <paramref name="row"/>.</summary>
    public Span<float> Target(int row) => Targets.AsSpan(row * targetLength, targetLength);
}

using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Data;

/// <summary>
/// The training examples of an <see cref="IDataView"/>: which columns to read, how to read a row
/// (<see cref="CreateReader"/>), and the per-row shapes of input and target. Batch sources (cached
/// or streaming) turn it into batches <c>[B, ..InputShape]</c> and <c>[B, ..TargetShape]</c>.
/// </summary>
/// <param name="Data">The data.</param>
/// <param name="Columns">The columns <see cref="CreateReader"/> reads.</param>
/// <param name="CreateReader">Makes a reader over a cursor or row that has <see cref="Columns"/> active.</param>
/// <param name="InputShape">Shape of one row's input, e.g. <c>[784]</c> or <c>[1, 28, 28]</c>.</param>
/// <param name="TargetShape">Shape of one row's target, e.g. <c>[]</c> for a scalar label.</param>
/// <param name="TargetType">Element type of target batches, e.g. <c>Int64</c> for class indices.</param>
internal sealed record ExampleLayout(
    IDataView Data,
    IReadOnlyList<DataViewSchema.Column> Columns,
    Func<DataViewRow, IExampleReader> CreateReader,
    IReadOnlyList<long> InputShape,
    IReadOnlyList<long> TargetShape,
    ScalarType TargetType)
{
    /// <summary>Values per row of input.</summary>
    public int InputLength => checked((int)InputShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Values per row of target.</summary>
    public int TargetLength => checked((int)TargetShape.Aggregate(1L, (a, b) => a * b));
}

using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Inputs;
using Microsoft.ML;

namespace DeepLearning.Trainers.Data;

/// <summary>Makes the <see cref="ExampleLayout"/> of a data set from a bound input adapter and a task's target binding.</summary>
internal static class Examples
{
    /// <summary>
    /// The examples of <paramref name="data"/>: the adapter's input (standardised with the adapter's
    /// normalisation, if any, as scoring does), the task's target. A NaN or infinite input is refused
    /// naming the column and row.
    /// </summary>
    public static ExampleLayout Create(IDataView data, BoundInput input, TargetBinding target)
        => new(
            data,
            [input.Column, .. target.Columns],
            row => new Reader(input.CreateReader(row), target.CreateReader(row), input.Column.Name, input.Adapter.Normalization, input.Adapter.Shape),
            input.Adapter.Shape,
            target.TargetShape,
            target.TargetType);

    private sealed class Reader(IInputReader input, ITargetReader target, string column, InputNormalization? normalization, IReadOnlyList<long> shape) : IExampleReader
    {
        public void Read(Span<float> inputValues, Span<float> targetValues, long position)
        {
            if (!input.Read(inputValues, position))
            {
                throw InputErrors.NonFinite(column, position);
            }

            normalization?.ApplyInPlace(inputValues, shape);
            target.Read(targetValues, position);
        }

        public void Dispose() => input.Dispose();
    }
}

using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>A binding whose target is the label column's one value per row (a class index, 0/1 or a real number).</summary>
internal sealed class ScalarLabelBinding(
    DataViewSchema.Column column,
    LabelColumn.Kind kind,
    string task,
    int networkOutputs,
    ScalarType targetType,
    Func<OutputHead> createHead,
    IReadOnlyList<string> warnings,
    int? classes = null) : TargetBinding(column, warnings)
{
    /// <summary>The number of classes of a class-index label (rows must lie below it), else <see langword="null"/>.</summary>
    public int? Classes => classes;

    /// <inheritdoc />
    public override int NetworkOutputs => networkOutputs;

    /// <inheritdoc />
    public override ScalarType TargetType => targetType;

    /// <inheritdoc />
    public override ITargetReader CreateReader(DataViewRow row) => new Reader(LabelColumn.CreateGetter(row, Column, kind, task), Column.Name, classes);

    /// <inheritdoc />
    public override OutputHead CreateHead() => createHead();

    private sealed class Reader(Func<long, float> read, string name, int? classLimit) : ITargetReader
    {
        public void Read(Span<float> target, long position)
        {
            var value = read(position);
            if (value >= classLimit)
            {
                throw new InvalidOperationException($"Label column '{name}' has class {value} in row {position}, but the network was trained on {classLimit} classes (0 to {classLimit - 1}).");
            }

            target[0] = value;
        }
    }
}

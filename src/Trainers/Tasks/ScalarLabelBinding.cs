using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
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
    int? classes = null) : TargetBinding([column], warnings)
{
    /// <summary>The number of classes of a class-index label (rows must lie below it), else <see langword="null"/>.</summary>
    public int? Classes => classes;

    /// <inheritdoc />
    public override int NetworkOutputs => networkOutputs;

    /// <inheritdoc />
    public override ScalarType TargetType => targetType;

    /// <inheritdoc />
    public override ITargetReader CreateReader(DataViewRow row) => new Reader(LabelColumn.CreateGetter(row, column, kind, task), column.Name, classes);

    /// <inheritdoc />
    public override OutputHead CreateHead() => createHead();

    /// <summary>Binds a class-index label: counts the classes of training data (refusing one class, warning about absent ones) or checks validation data against them.</summary>
    public static TargetBinding ForClasses(IDataView data, string labelColumnName, TargetBinding? training, string task, Func<int, int> outputs, Func<int, KeyValuesAnnotation?, OutputHead> head)
    {
        var column = LabelColumn.Find(data.Schema, labelColumnName, LabelColumn.Kind.ClassIndex, task);
        var keys = column.Type is KeyDataViewType ? KeyValuesAnnotation.TryRead(column) : null;
        if (training is ScalarLabelBinding { Classes: int trainedClasses } trained)
        {
            if (column.Type is KeyDataViewType key && key.Count != (ulong)trainedClasses)
            {
                throw new ArgumentOutOfRangeException("LabelColumnName", labelColumnName, $"Label column '{labelColumnName}' of the validation data has {key.Count} key values, but the training data has {trainedClasses}.");
            }

            return new ScalarLabelBinding(column, LabelColumn.Kind.ClassIndex, task, trained.NetworkOutputs, ScalarType.Int64, trained.CreateHead, [], trainedClasses);
        }

        var counts = LabelColumn.CountClasses(data, column, LabelColumn.Kind.ClassIndex, task);
        var warnings = LabelColumn.CheckClasses(column, counts, task);
        var classes = counts.Length;
        return new ScalarLabelBinding(column, LabelColumn.Kind.ClassIndex, task, outputs(classes), ScalarType.Int64, () => head(classes, keys), warnings, classes);
    }

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

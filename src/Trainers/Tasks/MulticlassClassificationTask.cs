using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Multiclass classification: softmax cross-entropy on one logit per class, accuracy as the metric.
/// Labels are keys (from <c>MapValueToKey</c>; their values become the class names) or Single class
/// indices 0, 1, 2, …; the head is <see cref="MulticlassClassificationHead"/>.
/// </summary>
public sealed class MulticlassClassificationTask : TrainingTask
{
    private const string Name = "MulticlassClassification";

    /// <inheritdoc />
    public override string MetricName => "accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target.view(-1));

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new AccuracyAccumulator((output, target) => output.argmax(1).eq(target.view(-1)).sum());

    internal override OutputHead PreviewHead() => new MulticlassClassificationHead { ClassCount = 2 };

    internal override TargetBinding Bind(IDataView data, string labelColumnName, TargetBinding? training)
        => BindClasses(data, labelColumnName, training, Name, classes => classes, (classes, keys) => new MulticlassClassificationHead { ClassCount = classes, Labels = keys });

    /// <summary>Binds a class-index label: counts the classes of training data (refusing one class, warning about absent ones) or checks validation data against them.</summary>
    internal static TargetBinding BindClasses(IDataView data, string labelColumnName, TargetBinding? training, string task, Func<int, int> outputs, Func<int, KeyValuesAnnotation?, OutputHead> head)
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
}

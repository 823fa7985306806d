using DeepLearning.Transforms.Heads;
using Microsoft.ML;
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
        => ScalarLabelBinding.ForClasses(data, labelColumnName, training, Name, classes => classes, (classes, keys) => new MulticlassClassificationHead { ClassCount = classes, Labels = keys });
}

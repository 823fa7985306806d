using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Multiclass classification: softmax cross-entropy on one logit per class, accuracy as the metric.
/// Labels are keys (from <c>MapValueToKey</c>; their values become the class names) or Single class
/// indices 0, 1, 2, …; the head is <see cref="MulticlassClassificationHead"/>. Mixed samples (mixup,
/// CutMix) get soft targets: class probabilities <c>[B, classes]</c>, for which the loss is the
/// cross-entropy against the probabilities and the metric compares with the most probable class.
/// </summary>
public sealed class MulticlassClassificationTask : TrainingTask
{
    private const string Name = "MulticlassClassification";

    /// <summary>
    /// Label smoothing ε: the loss is the cross-entropy against (1 − ε) × the target + ε / classes, as PyTorch's
    /// <c>CrossEntropyLoss(label_smoothing=ε)</c>, which keeps the network from growing ever more confident
    /// logits. Default 0 (plain cross-entropy); in [0, 1). Training only: scoring is unchanged.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <inheritdoc />
    public override string MetricName => "accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, Classes(target, soft: true), label_smoothing: LabelSmoothing);

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new AccuracyAccumulator((output, target) => output.argmax(1).eq(Classes(target, soft: false)).sum());

    /// <inheritdoc />
    internal override Tensor MixTargets(Tensor target, Tensor partner, Tensor weight, int outputs)
    {
        var w = weight.view(-1, 1);
        return Probabilities(target, outputs).mul(w).add_(Probabilities(partner, outputs).mul(1 - w));
    }

    /// <summary>Class indices <c>[B]</c>, or for soft targets <c>[B, classes]</c> the probabilities (<paramref name="soft"/>) or the most probable class.</summary>
    private static Tensor Classes(Tensor target, bool soft)
        => target.is_floating_point() && target.dim() == 2 ? (soft ? target : target.argmax(1)) : target.view(-1);

    private static Tensor Probabilities(Tensor target, int classes)
        => target.is_floating_point() && target.dim() == 2 ? target : nn.functional.one_hot(target.view(-1), classes).to_type(ScalarType.Float32);

    internal override OutputHead PreviewHead() => new MulticlassClassificationHead { ClassCount = 2 };

    internal override TargetBinding Bind(TargetContext context)
    {
        OptionCheck.Require(LabelSmoothing is >= 0 and < 1, LabelSmoothing, nameof(LabelSmoothing), "in [0, 1)");
        return ScalarLabelBinding.ForClasses(context.Data, context.LabelColumnName, context.Training, Name, classes => classes, (classes, keys) => new MulticlassClassificationHead { ClassCount = classes, Labels = keys });
    }
}

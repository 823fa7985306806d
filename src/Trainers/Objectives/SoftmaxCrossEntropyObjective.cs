using DeepLearning.Trainers.Tasks;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Multiclass objective: softmax cross-entropy on logits, with accuracy as the metric. Targets are class indices (int64).</summary>
internal sealed class SoftmaxCrossEntropyObjective : ILossTask
{
    /// <inheritdoc />
    public string MetricName => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target.view(-1));

    /// <inheritdoc />
    public MetricAccumulator CreateMetric() => new AccuracyAccumulator((output, target) => output.argmax(1).eq(target.view(-1)).sum());
}

using DeepLearning.Trainers.Tasks;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Binary objective: sigmoid cross-entropy on one logit, with accuracy as the metric. Targets are 0/1 (float32).</summary>
internal sealed class BinaryCrossEntropyObjective : ILossTask
{
    /// <inheritdoc />
    public string MetricName => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor target) => nn.functional.binary_cross_entropy_with_logits(output.view(-1), target.view(-1));

    /// <inheritdoc />
    public MetricAccumulator CreateMetric() => new AccuracyAccumulator((output, target) => output.view(-1).gt(0).eq(target.view(-1).gt(0.5)).sum());
}

using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Binary objective: sigmoid cross-entropy on one logit, with accuracy as the metric. Labels are 0/1 (float32).</summary>
public sealed class BinaryCrossEntropyObjective : ITrainingObjective
{
    /// <inheritdoc />
    public string MetricName => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor labels) => nn.functional.binary_cross_entropy_with_logits(output.view(-1), labels);

    /// <inheritdoc />
    public double MetricSum(Tensor output, Tensor labels)
    {
        using var correct = output.view(-1).gt(0).eq(labels.gt(0.5)).sum();
        return correct.item<long>();
    }

    /// <inheritdoc />
    public double Finish(double sum, long count) => sum / count;
}

using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Multiclass objective: softmax cross-entropy on logits, with accuracy as the metric. Labels are class indices (int64).</summary>
public sealed class SoftmaxCrossEntropyObjective : ITrainingObjective
{
    /// <inheritdoc />
    public string MetricName => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor labels) => nn.functional.cross_entropy(output, labels);

    /// <inheritdoc />
    public double MetricSum(Tensor output, Tensor labels)
    {
        using var correct = output.argmax(1).eq(labels).sum();
        return correct.item<long>();
    }

    /// <inheritdoc />
    public double Finish(double sum, long count) => sum / count;
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// What the training loop needs from a task: the loss to minimise and a metric to report and,
/// optionally, to select the best epoch by. A training task adds the data side (targets, label checks, the output head).
/// </summary>
public interface ILossTask
{
    /// <summary>Name of the metric, e.g. <c>accuracy</c> or <c>rmse</c>.</summary>
    string MetricName { get; }

    /// <summary>Whether a larger metric is better (accuracy) or a smaller one (RMSE).</summary>
    bool HigherIsBetter { get; }

    /// <summary>The mean loss of a batch as a scalar tensor that autograd can differentiate.</summary>
    /// <param name="output">The network's raw output, shape <c>[B, ...]</c>.</param>
    /// <param name="target">The batch's targets, shape <c>[B, ...]</c>.</param>
    Tensor Loss(Tensor output, Tensor target);

    /// <summary>A fresh accumulator of the metric.</summary>
    MetricAccumulator CreateMetric();
}

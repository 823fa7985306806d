using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// What a trainer contributes to the training loop besides the network: the loss to minimise
/// and one metric to report and, optionally, to select the best epoch by.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Name of the metric, e.g. <c>accuracy</c> or <c>rmse</c>.</summary>
    string MetricName { get; }

    /// <summary>Whether a larger metric is better (accuracy) or a smaller one (RMSE).</summary>
    bool HigherIsBetter { get; }

    /// <summary>The mean loss of a batch as a scalar tensor that autograd can differentiate.</summary>
    /// <param name="output">Network output for the batch.</param>
    /// <param name="labels">Labels of the batch.</param>
    Tensor Loss(Tensor output, Tensor labels);

    /// <summary>
    /// The batch's contribution to the metric as a sum over its rows (e.g. number of correct
    /// predictions, or sum of squared errors), so batches can be added and divided by the count.
    /// </summary>
    /// <param name="output">Network output for the batch.</param>
    /// <param name="labels">Labels of the batch.</param>
    double MetricSum(Tensor output, Tensor labels);

    /// <summary>Turns the sum of <see cref="MetricSum"/> over <paramref name="count"/> rows into the metric.</summary>
    /// <param name="sum">Sum of the per-batch metric sums.</param>
    /// <param name="count">Number of rows.</param>
    double Finish(double sum, long count);
}

namespace DeepLearning.Transforms.Models;

/// <summary>What the training loop measured in one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean training loss over the epoch's mini-batches (with dropout active).</param>
/// <param name="TrainingMetric">Objective metric over the epoch's mini-batches.</param>
/// <param name="ValidationLoss">Mean loss on the validation set in evaluation mode, when there is one.</param>
/// <param name="ValidationMetric">Objective metric on the validation set, when there is one.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
/// <param name="TrainingMetricByTask">For a multi-task network, the training metric of each task by label column name (<see cref="TrainingMetric"/> is their mean); else <see langword="null"/>.</param>
/// <param name="ValidationMetricByTask">For a multi-task network with validation data, the validation metric of each task by label column name; else <see langword="null"/>.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    double TrainingMetric,
    double? ValidationLoss,
    double? ValidationMetric,
    double LearningRate,
    TimeSpan Duration,
    IReadOnlyDictionary<string, double>? TrainingMetricByTask = null,
    IReadOnlyDictionary<string, double>? ValidationMetricByTask = null);

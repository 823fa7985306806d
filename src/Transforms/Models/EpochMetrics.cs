namespace DeepLearning.Transforms.Models;

/// <summary>What the training loop measured in one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean training loss over the epoch's mini-batches (with dropout active).</param>
/// <param name="TrainingMetric">Objective metric over the epoch's mini-batches.</param>
/// <param name="ValidationLoss">Mean loss on the validation set in evaluation mode, when there is one.</param>
/// <param name="ValidationMetric">Objective metric on the validation set, when there is one.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    double TrainingMetric,
    double? ValidationLoss,
    double? ValidationMetric,
    double LearningRate,
    TimeSpan Duration);

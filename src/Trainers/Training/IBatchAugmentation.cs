using DeepLearning.Trainers.Training.Sources;

namespace DeepLearning.Trainers.Training;

/// <summary>Transforms training batches (random crops, flips, noise …). Never applied to validation batches.</summary>
internal interface IBatchAugmentation
{
    /// <summary>
    /// The augmented batch, as tensors in the caller's dispose scope on the batch's device. Random
    /// choices should draw from a generator seeded by the epoch and batch number (as
    /// <see cref="Augmentation.AugmentationPipeline"/> does), so runs are reproducible and resumable.
    /// </summary>
    /// <param name="batch">A training batch.</param>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batchNumber">1-based batch number within the epoch.</param>
    Batch Apply(Batch batch, int epoch, int batchNumber);
}

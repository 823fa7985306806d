using DeepLearning.Trainers.Training.Sources;

namespace DeepLearning.Trainers.Training;

/// <summary>Transforms training batches (random crops, flips, noise …). Never applied to validation batches.</summary>
internal interface IBatchAugmentation
{
    /// <summary>
    /// The augmented batch, as tensors in the caller's dispose scope on the batch's device. Random
    /// choices should draw from torch's global generator, which the loop seeds and checkpoints, so
    /// runs are reproducible and resumable.
    /// </summary>
    /// <param name="batch">A training batch.</param>
    /// <param name="epoch">1-based epoch.</param>
    Batch Apply(Batch batch, int epoch);
}

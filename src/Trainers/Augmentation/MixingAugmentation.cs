using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Applies a <see cref="BatchMixing"/> to training batches after any other augmentation: pairs each
/// sample with one of a seeded permutation of the batch, mixes the images, and has the task mix the
/// targets by the weights (see <see cref="Tasks.TrainingTask"/>). Draws come from a generator seeded by
/// (seed, epoch, batch), apart from the augmentation pipeline's.
/// </summary>
/// <param name="mixing">The mixing.</param>
/// <param name="mixTargets">The task's target mixing: (targets, partner targets, weights [B]) → mixed targets.</param>
/// <param name="seed">The run's seed.</param>
/// <param name="inner">Augmentation applied before mixing, or <see langword="null"/>.</param>
internal sealed class MixingAugmentation(BatchMixing mixing, Func<Tensor, Tensor, Tensor, Tensor> mixTargets, int seed, IBatchAugmentation? inner) : IBatchAugmentation
{
    /// <summary>Separates this generator's stream from the augmentation pipeline's for the same seed.</summary>
    private const int Stream = 0x4D49584D;

    /// <inheritdoc />
    public Batch Apply(Batch batch, int epoch, int batchNumber)
    {
        using var scope = NewDisposeScope();
        var augmented = inner?.Apply(batch, epoch, batchNumber) ?? batch;
        using var generator = new Generator(Draw.BatchSeed(unchecked(seed ^ Stream), epoch, batchNumber));
        var partners = randperm(augmented.Rows, generator: generator).to(augmented.Input.device);
        var (input, weight) = mixing.Mix(augmented.Input, augmented.Input.index_select(0, partners), generator);
        var target = mixTargets(augmented.Target, augmented.Target.index_select(0, partners), weight);
        return new Batch(scope.MoveToOuter(input), scope.MoveToOuter(target));
    }
}

using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>Chooses the rows of each training epoch of a random-access source, e.g. a seeded shuffle or P×K batches.</summary>
internal interface IBatchSampler
{
    /// <summary>
    /// The rows of one epoch in the order they are batched (consecutive runs of
    /// <see cref="TrainingOptions.BatchSize"/>), as <c>int64</c> indices in <c>[0, RowCount)</c>;
    /// rows may repeat or be left out. Created in the caller's dispose scope. <see langword="null"/>: every row in order.
    /// Schedules are started for <c>ceil(RowCount / BatchSize)</c> batches per epoch.
    /// </summary>
    /// <param name="context">The epoch and the source.</param>
    Tensor? EpochOrder(SamplingContext context);
}

/// <summary>What a sampler may look at.</summary>
/// <param name="Source">The training source (its <see cref="IRandomAccessBatchSource.Targets"/> serve label-aware samplers).</param>
/// <param name="RowCount">Rows of the source.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Seed">The run's seed (<see cref="TrainingOptions.Seed"/>).</param>
internal sealed record SamplingContext(IRandomAccessBatchSource Source, long RowCount, int Epoch, int Seed)
{
    /// <summary>
    /// A seed for this epoch derived from the run's seed and the epoch (<c>seed · 1000003 + epoch</c>),
    /// so an epoch's order needs no state and a resumed run repeats it.
    /// </summary>
    public int EpochSeed => Shuffling.EpochSeed(Seed, Epoch);
}

/// <summary>Seeded shuffles shared by samplers and batch sources.</summary>
internal static class Shuffling
{
    /// <summary>The seed of an epoch's shuffle: <c>seed · 1000003 + epoch</c> (wrapping).</summary>
    public static int EpochSeed(int seed, int epoch) => unchecked((seed * 1_000_003) + epoch);

    /// <summary>A uniform permutation of <c>[0, rows)</c> (<c>int64</c>, CPU) determined by <paramref name="seed"/>, in the current dispose scope.</summary>
    public static Tensor Permutation(long rows, int seed)
    {
        using var generator = new Generator(unchecked((ulong)(uint)seed));
        return torch.randperm(rows, generator: generator);
    }
}

/// <summary>The default sampler: a uniform permutation per epoch seeded by <see cref="SamplingContext.EpochSeed"/>, or the rows in order.</summary>
/// <param name="shuffle">Whether to shuffle.</param>
internal sealed class ShuffleSampler(bool shuffle) : IBatchSampler
{
    /// <inheritdoc />
    public Tensor? EpochOrder(SamplingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return shuffle ? Shuffling.Permutation(context.RowCount, context.EpochSeed) : null;
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// The order in which one pass over a batch source visits its rows: the source's own order,
/// a seeded shuffle chosen by the source, or explicit row indices (random-access sources only).
/// </summary>
internal readonly record struct BatchOrder
{
    private BatchOrder(int? shuffleSeed, Tensor? indices)
    {
        ShuffleSeed = shuffleSeed;
        Indices = indices;
    }

    /// <summary>The rows in the source's order.</summary>
    public static BatchOrder Sequential => default;

    /// <summary>Seed of the source's own shuffle, or <see langword="null"/>.</summary>
    public int? ShuffleSeed { get; }

    /// <summary>Row indices (<c>int64</c>, values in <c>[0, rows)</c>), or <see langword="null"/>.</summary>
    public Tensor? Indices { get; }

    /// <summary>A seeded shuffle performed by the source.</summary>
    /// <param name="seed">The seed; equal seeds give equal orders.</param>
    public static BatchOrder Shuffled(int seed) => new(seed, null);

    /// <summary>Explicit row indices, e.g. from a sampler; the source copies what it needs.</summary>
    /// <param name="indices">Row indices, <c>int64</c>, any device.</param>
    public static BatchOrder Indexed(Tensor indices) => new(null, indices ?? throw new ArgumentNullException(nameof(indices)));
}

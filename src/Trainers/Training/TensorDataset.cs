using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// A data set held as two tensors on one device: features with the sample count as first
/// dimension, and labels (class indices as <c>int64</c>, or <c>float32</c> targets) of the same count.
/// The training loop slices mini-batches from it by index; it owns and disposes both tensors.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    /// <summary>Creates a data set from tensors it takes ownership of.</summary>
    /// <param name="features">Features, shape <c>[N, ...]</c>.</param>
    /// <param name="labels">Labels, shape <c>[N]</c> or <c>[N, ...]</c>.</param>
    /// <exception cref="ArgumentException">The first dimensions differ or are zero.</exception>
    public TensorDataset(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() == 0 || labels.dim() == 0 || features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"Features ({string.Join('x', features.shape)}) and labels ({string.Join('x', labels.shape)}) must have the same number of rows.");
        }

        if (features.shape[0] == 0)
        {
            throw new ArgumentException("The data set is empty: it has no rows.");
        }

        Features = features;
        Labels = labels;
    }

    /// <summary>Features, shape <c>[N, ...]</c>.</summary>
    public Tensor Features { get; }

    /// <summary>Labels, shape <c>[N]</c> or <c>[N, ...]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of rows.</summary>
    public long Count => Features.shape[0];

    /// <summary>
    /// Splits off the last <paramref name="fraction"/> of the rows of a random permutation (seeded)
    /// as a validation set. This data set is left unchanged.
    /// </summary>
    /// <param name="fraction">Fraction in (0, 1) of the rows for validation.</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <returns>The training and validation parts (new tensors).</returns>
    public (TensorDataset Train, TensorDataset Validation) Split(double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in (0, 1).");
        }

        var validationCount = (long)Math.Round(Count * fraction);
        if (validationCount < 1 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"A validation fraction of {fraction} of {Count} rows leaves an empty training or validation set.");
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var order = randperm(Count, generator: generator);
        var trainIndex = order.narrow(0, 0, Count - validationCount);
        var validationIndex = order.narrow(0, Count - validationCount, validationCount);
        var train = new TensorDataset(Features.index_select(0, trainIndex).MoveToOuterDisposeScope(), Labels.index_select(0, trainIndex).MoveToOuterDisposeScope());
        var validation = new TensorDataset(Features.index_select(0, validationIndex).MoveToOuterDisposeScope(), Labels.index_select(0, validationIndex).MoveToOuterDisposeScope());
        return (train, validation);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// Training examples as mini-batches, one pass at a time: a <see cref="CachedBatchSource"/> (one
/// tensor in memory) or a <see cref="StreamingBatchSource"/> (a cursor read in the background).
/// </summary>
internal interface IBatchSource : IDisposable
{
    /// <summary>The device batches are created on.</summary>
    Device Device { get; }

    /// <summary>Number of rows of one pass (a streaming source may count them once with a cheap pass).</summary>
    long CountRows();

    /// <summary>Starts one pass over the rows.</summary>
    /// <param name="batchSize">Rows per batch (the last batch may be smaller).</param>
    /// <param name="order">The order of the rows.</param>
    /// <exception cref="NotSupportedException">The source cannot follow explicit indices.</exception>
    IBatchReader Open(int batchSize, BatchOrder order);

    /// <summary>
    /// Splits off a validation part: a row is held out when a seeded hash of its row id is below
    /// <paramref name="fraction"/> (see <see cref="RowSplit"/>), so every source holds out the same rows.
    /// The parts share this source's data and must be disposed before it.
    /// </summary>
    /// <param name="fraction">Fraction in (0, 1) to hold out.</param>
    /// <param name="seed">Seed of the hash.</param>
    /// <exception cref="InvalidOperationException">A part would be empty.</exception>
    (IBatchSource Train, IBatchSource Validation) Split(double fraction, int seed);
}

/// <summary>A source whose rows can be read in any order, e.g. in the order a sampler chooses.</summary>
internal interface IRandomAccessBatchSource : IBatchSource
{
    /// <summary>The targets of every row, <c>[N, ..TargetShape]</c>, for label-aware samplers. Owned by the source.</summary>
    Tensor Targets { get; }
}

/// <summary>One pass over a batch source.</summary>
internal interface IBatchReader : IDisposable
{
    /// <summary>
    /// Reads the next batch as tensors created in the caller's current dispose scope.
    /// Errors of the underlying data reader surface here with their original type and message.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <returns><see langword="false"/> at the end of the pass.</returns>
    bool TryRead(out Batch batch);
}

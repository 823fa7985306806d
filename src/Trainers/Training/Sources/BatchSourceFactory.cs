using System.Globalization;
using DeepLearning.Trainers.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>Chooses between a <see cref="CachedBatchSource"/> and a <see cref="StreamingBatchSource"/> and logs the choice and why.</summary>
internal static class BatchSourceFactory
{
    /// <summary>The name under which trainers expose the cache budget; messages use it.</summary>
    private const string BudgetName = "MaxCacheBytes";

    /// <summary>Makes the batch source for <paramref name="layout"/>.</summary>
    /// <param name="layout">The examples.</param>
    /// <param name="device">Device of the batches.</param>
    /// <param name="maxCacheBytes">Largest cache, in bytes of inputs (float32) and targets (their type); at least 1.</param>
    /// <param name="mode">Cache, stream, or decide by the budget.</param>
    /// <param name="log">Receives one line naming the source and why.</param>
    /// <exception cref="InvalidOperationException"><paramref name="mode"/> is <see cref="BatchSourceMode.Cached"/> and the data exceeds the budget, or the data has no rows.</exception>
    public static IBatchSource Create(ExampleLayout layout, Device device, long maxCacheBytes, BatchSourceMode mode, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCacheBytes, 1);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown {nameof(BatchSourceMode)}.");
        }

        var rowBytes = TensorCache.BytesPerRow(layout);
        var rows = layout.Data.GetRowCount();
        if (mode == BatchSourceMode.Streaming)
        {
            log?.Invoke(rows is { } n ? Line($"Streaming {n} rows ({Megabytes(n * rowBytes)}): {nameof(BatchSourceMode)} is {mode}.") : Line($"Streaming: {nameof(BatchSourceMode)} is {mode}."));
            return new StreamingBatchSource(layout, device);
        }

        if (rows is { } count && count * rowBytes > maxCacheBytes)
        {
            return TooLarge(layout, device, maxCacheBytes, mode, log, Line($"{Megabytes(count * rowBytes)} of examples ({count} rows)"));
        }

        var cached = TensorCache.TryRead(layout, device, maxCacheBytes, out var read);
        if (cached is null)
        {
            return TooLarge(layout, device, maxCacheBytes, mode, log, Line($"more than {Megabytes(read * rowBytes)} of examples (over {read} rows)"));
        }

        log?.Invoke(Line($"Caching {cached.Count} rows ({Megabytes(cached.Count * rowBytes)}) as one tensor on {device}."));
        return cached;
    }

    private static StreamingBatchSource TooLarge(ExampleLayout layout, Device device, long maxCacheBytes, BatchSourceMode mode, Action<string>? log, string size)
    {
        if (mode == BatchSourceMode.Cached)
        {
            throw new InvalidOperationException(Line($"The training data ({size}) exceeds {BudgetName} = {maxCacheBytes} bytes ({Megabytes(maxCacheBytes)}) and {nameof(BatchSourceMode)} is {mode}: raise {BudgetName}, stream the data, or train on a sample."));
        }

        log?.Invoke(Line($"Streaming: {size} exceed {BudgetName} = {Megabytes(maxCacheBytes)}."));
        return new StreamingBatchSource(layout, device);
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB");

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

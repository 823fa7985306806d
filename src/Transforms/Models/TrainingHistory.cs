using System.Collections;

namespace DeepLearning.Transforms.Models;

/// <summary>The per-epoch metrics of one training run, how it ended, and what looked wrong in the data.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly IReadOnlyList<EpochMetrics> _epochs;

    /// <summary>Creates a history.</summary>
    /// <param name="epochs">Metrics of each epoch run, in order.</param>
    /// <param name="bestEpoch">1-based epoch whose weights the model holds.</param>
    /// <param name="stoppedEarly">Whether early stopping ended the run.</param>
    /// <param name="warnings">Warnings about the training data (also sent to the log), or <see langword="null"/> for none.</param>
    public TrainingHistory(IReadOnlyList<EpochMetrics> epochs, int bestEpoch, bool stoppedEarly, IReadOnlyList<string>? warnings = null)
    {
        _epochs = epochs ?? throw new ArgumentNullException(nameof(epochs));
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        Warnings = warnings ?? [];
    }

    /// <summary>1-based epoch whose weights the model holds (the last one without early stopping).</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended the run before the last epoch.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Warnings about the training data, e.g. class indices that never occur.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <inheritdoc />
    public int Count => _epochs.Count;

    /// <inheritdoc />
    public EpochMetrics this[int index] => _epochs[index];

    /// <summary>This history with <paramref name="warnings"/> added.</summary>
    /// <param name="warnings">Warnings to add.</param>
    public TrainingHistory WithWarnings(IEnumerable<string> warnings) => new(_epochs, BestEpoch, StoppedEarly, [.. Warnings, .. warnings]);

    /// <inheritdoc />
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

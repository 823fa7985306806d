using System.Collections;

namespace DeepLearning.Trainers.Training;

/// <summary>The per-epoch metrics of one training run, and how it ended.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly IReadOnlyList<EpochMetrics> _epochs;

    /// <summary>Creates a history.</summary>
    /// <param name="epochs">Metrics of each epoch run, in order.</param>
    /// <param name="bestEpoch">1-based epoch whose weights the model holds.</param>
    /// <param name="stoppedEarly">Whether early stopping ended the run.</param>
    public TrainingHistory(IReadOnlyList<EpochMetrics> epochs, int bestEpoch, bool stoppedEarly)
    {
        _epochs = epochs ?? throw new ArgumentNullException(nameof(epochs));
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>1-based epoch whose weights the model holds (the last one without early stopping).</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended the run before the last epoch.</summary>
    public bool StoppedEarly { get; }

    /// <inheritdoc />
    public int Count => _epochs.Count;

    /// <inheritdoc />
    public EpochMetrics this[int index] => _epochs[index];

    /// <inheritdoc />
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

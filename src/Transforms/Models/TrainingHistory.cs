using System.Collections;

namespace DeepLearning.Transforms.Models;

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

    /// <summary>Writes the history for a saved model.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(BestEpoch);
        writer.Write(StoppedEarly);
        writer.Write(_epochs.Count);
        foreach (var e in _epochs)
        {
            writer.Write(e.Epoch);
            writer.Write(e.TrainingLoss);
            writer.Write(e.TrainingMetric);
            writer.Write(e.ValidationLoss ?? double.NaN);
            writer.Write(e.ValidationMetric ?? double.NaN);
            writer.Write(e.LearningRate);
            writer.Write(e.Duration.Ticks);
        }
    }

    /// <summary>Reads a history written by <see cref="Write"/>.</summary>
    internal static TrainingHistory Read(BinaryReader reader)
    {
        var best = reader.ReadInt32();
        var stoppedEarly = reader.ReadBoolean();
        var count = reader.ReadInt32();
        if (count < 0 || count > 1_000_000)
        {
            throw new InvalidDataException($"The saved training history claims {count} epochs.");
        }

        var epochs = new EpochMetrics[count];
        for (var i = 0; i < count; i++)
        {
            var epoch = reader.ReadInt32();
            var loss = reader.ReadDouble();
            var metric = reader.ReadDouble();
            var validationLoss = reader.ReadDouble();
            var validationMetric = reader.ReadDouble();
            var rate = reader.ReadDouble();
            var ticks = reader.ReadInt64();
            epochs[i] = new EpochMetrics(epoch, loss, metric, double.IsNaN(validationLoss) ? null : validationLoss, double.IsNaN(validationMetric) ? null : validationMetric, rate, TimeSpan.FromTicks(ticks));
        }

        return new TrainingHistory(epochs, best, stoppedEarly);
    }
}

using System.Globalization;
using DeepLearning.Trainers.Tasks;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Tracks the best epoch by the monitored validation value (<see cref="TrainingOptions.EarlyStoppingMonitor"/>)
/// and decides when to stop. Internally lower is better: a higher-is-better metric is negated.
/// Keeps a copy of the best weights while early stopping is on.
/// </summary>
internal sealed class EarlyStopping : IDisposable
{
    private readonly TrainingOptions _options;
    private readonly bool _negate;
    private readonly BestWeights? _bestWeights;

    /// <summary>Creates the tracker for a run.</summary>
    public EarlyStopping(TrainingOptions options, ILossTask task, nn.Module network)
    {
        _options = options;
        MonitoredName = options.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationLoss ? "loss" : task.MetricName;
        _negate = options.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationMetric && task.HigherIsBetter;
        _bestWeights = options.EarlyStoppingPatience is null ? null : new BestWeights(network);
    }

    /// <summary>The monitored quantity, e.g. <c>loss</c> or <c>accuracy</c>.</summary>
    public string MonitoredName { get; }

    /// <summary>The best monitored value so far as compared (negated for a higher-is-better metric); +∞ before any.</summary>
    public double BestMonitoredValue { get; private set; } = double.PositiveInfinity;

    /// <summary>The best value with its real sign, e.g. an accuracy of 0.93.</summary>
    public double BestValue => _negate ? -BestMonitoredValue : BestMonitoredValue;

    /// <summary>The epoch whose weights the network should end with: the best one with early stopping, else the last; 0 before any.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Records an epoch; returns <see langword="true"/> when training should stop (and logs why).</summary>
    public bool Observe(EpochMetrics metrics, Action<string>? log)
    {
        if (_bestWeights is null || metrics.ValidationLoss is not { } loss)
        {
            BestEpoch = metrics.Epoch;
            return false;
        }

        var value = _options.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationLoss ? loss : metrics.ValidationMetric!.Value;
        var monitored = _negate ? -value : value;
        if (monitored < BestMonitoredValue)
        {
            BestMonitoredValue = monitored;
            BestEpoch = metrics.Epoch;
            BadEpochs = 0;
            _bestWeights.Capture();
            return false;
        }

        if (++BadEpochs >= _options.EarlyStoppingPatience!.Value && metrics.Epoch < _options.Epochs)
        {
            Stopped = true;
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Early stopping after epoch {metrics.Epoch}: the validation {MonitoredName} has not improved for {BadEpochs} epochs; best epoch {BestEpoch} (validation {MonitoredName} {BestValue:G5})."));
            return true;
        }

        return false;
    }

    /// <summary>Puts the best epoch's weights back when it is not the last epoch run.</summary>
    public void RestoreBest(int lastEpoch, Action<string>? log)
    {
        if (_bestWeights is { HasCopy: true } && BestEpoch != lastEpoch)
        {
            _bestWeights.Restore();
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Restored the weights of epoch {BestEpoch} (validation {MonitoredName} {BestValue:G5})."));
        }
    }

    /// <summary>Writes the tracker's state, best weights included, for a checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(BestMonitoredValue);
        writer.Write(BestEpoch);
        writer.Write(BadEpochs);
        writer.Write(_bestWeights is { HasCopy: true });
        _bestWeights?.Save(writer);
    }

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The state has best weights but this run has no early stopping.</exception>
    public void Load(BinaryReader reader)
    {
        BestMonitoredValue = reader.ReadDouble();
        BestEpoch = reader.ReadInt32();
        BadEpochs = reader.ReadInt32();
        if (reader.ReadBoolean())
        {
            (_bestWeights ?? throw new InvalidDataException($"The checkpoint holds best weights for early stopping, but {nameof(TrainingOptions.EarlyStoppingPatience)} is not set.")).Load(reader);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _bestWeights?.Dispose();
}

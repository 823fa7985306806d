using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Runs the learning-rate range test through the one <see cref="TrainingLoop"/>: its batch sources,
/// optimiser and hooks, with an exponential sweep as the schedule and a callback that records and
/// stops. The network's weights (and buffers) are restored afterwards.
/// </summary>
internal static class LearningRateSweep
{
    /// <summary>Sweeps the rate on <paramref name="network"/> and restores its state. Call outside any dispose scope.</summary>
    /// <param name="network">The network, on the source's device.</param>
    /// <param name="task">Loss and metric.</param>
    /// <param name="train">Training data.</param>
    /// <param name="options">The loop's options: optimiser, batch size, seed …; schedule, epochs, validation, early stopping, checkpoints and progress are replaced.</param>
    /// <param name="hooks">The trainer's hooks (augmentation, parameter groups, freezing).</param>
    /// <param name="finder">The sweep; validated here.</param>
    /// <param name="log">The log, or <see langword="null"/>.</param>
    public static LearningRateFinderResult Run(nn.Module<Tensor, Tensor> network, ILossTask task, IBatchSource train, TrainingOptions options, TrainingHooks hooks, LearningRateFinderOptions finder, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(finder);
        finder.Validate();
        var stepsPerEpoch = (train.CountRows() + options.BatchSize - 1) / options.BatchSize;
        var epochs = checked((int)((finder.Batches + stepsPerEpoch - 1) / stepsPerEpoch));
        var sweep = options.With(o =>
        {
            o.LearningRate = finder.MinLearningRate;
            o.LearningRateSchedule = new Sweep(finder);
            o.Epochs = epochs;
            o.ValidationFraction = 0;
            o.EarlyStoppingPatience = null;
            o.CheckpointDirectory = null;
            o.ResumeFromCheckpoint = null;
            o.Progress = null;
        });
        var recorder = new Recorder(finder);
        var saved = Save(network);
        try
        {
            new TrainingLoop(sweep, log).Run(network, task, train, null, hooks.With(recorder, nonFiniteLossEndsRun: true));
        }
        finally
        {
            Restore(network, saved);
        }

        var result = recorder.Result();
        log?.Invoke(FormattableString.Invariant($"Learning-rate sweep: {result.LearningRates.Count} batches from {result.LearningRates[0]:G3} to {result.LearningRates[^1]:G3}{(result.Diverged ? " (stopped: the loss diverged)" : string.Empty)}; minimum smoothed loss at {result.MinimumLossLearningRate:G3}, suggested rate {result.SuggestedLearningRate:G3}."));
        return result;
    }

    private static Dictionary<string, Tensor> Save(nn.Module network)
    {
        using var noGrad = no_grad();
        return network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    private static void Restore(nn.Module network, Dictionary<string, Tensor> saved)
    {
        using (no_grad())
        {
            foreach (var (name, value) in network.state_dict())
            {
                value.copy_(saved[name]);
            }
        }

        foreach (var copy in saved.Values)
        {
            copy.Dispose();
        }
    }

    /// <summary>The exponential sweep as a per-step schedule.</summary>
    private sealed class Sweep(LearningRateFinderOptions finder) : LearningRateSchedule
    {
        public override void Validate() => finder.Validate();

        public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch) => new StepScheduler(finder.RateAt);
    }

    /// <summary>Records each batch's rate and loss, smooths the loss, and stops after the last batch or on divergence.</summary>
    private sealed class Recorder(LearningRateFinderOptions finder) : TrainingCallback
    {
        private readonly List<double> _rates = [];
        private readonly List<double> _losses = [];
        private readonly List<double> _smoothed = [];
        private double _average;
        private double _best = double.PositiveInfinity;
        private bool _diverged;

        public override void OnBatchEnd(TrainingContext context)
        {
            var beta = finder.Smoothing;
            _average = (beta * _average) + ((1 - beta) * context.BatchLoss);
            var smoothed = _average / (1 - Math.Pow(beta, _losses.Count + 1));
            _rates.Add(context.LearningRate);
            _losses.Add(context.BatchLoss);
            _smoothed.Add(smoothed);
            _best = Math.Min(_best, smoothed);
            _diverged = smoothed > finder.DivergenceFactor * _best;
            if (_diverged || _losses.Count >= finder.Batches)
            {
                context.RequestStopAfterBatch();
            }
        }

        public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics) => _diverged |= context.EndedOnNonFiniteLoss;

        public LearningRateFinderResult Result() => new(_rates.AsReadOnly(), _losses.AsReadOnly(), _smoothed.AsReadOnly(), _diverged);
    }
}

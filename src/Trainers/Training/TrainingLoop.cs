using System.Diagnostics;
using System.Globalization;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// The one training loop every trainer uses: epochs of mini-batches from a batch source (cached or
/// streaming), the optimiser with parameter groups, L2, schedule, gradient clipping, validation,
/// early stopping with best-weights restore, NaN detection, cancellation, freezing, callbacks,
/// checkpoints with exact resume, progress and logging. Trainers contribute the network, an
/// <see cref="ILossTask"/>, the data as batch sources and optional <see cref="TrainingHooks"/>.
/// </summary>
/// <remarks>
/// <para><see cref="TrainingOptions.L2Regularization"/> λ is passed to every optimiser as its weight decay:
/// adding λ·w to each gradient is the gradient of the L2 term (λ/2)·‖w‖² added to the loss. For
/// <see cref="OptimizerKind.AdamW"/> the decay is decoupled from the adaptive step, as in the AdamW paper.</para>
/// <para>The loop uses torch's global generator (dropout) and does not seed it: callers seed it and
/// set threads with <see cref="TorchState.Enter"/> around building the network and running the loop.
/// Call <see cref="Run"/> outside any dispose scope.</para>
/// </remarks>
internal sealed class TrainingLoop
{
    private readonly TrainingOptions _options;
    private readonly Action<string>? _log;

    /// <summary>Creates a loop.</summary>
    /// <param name="options">Training options (validated by <see cref="Run"/>). The loop ignores the column names and the cache budget.</param>
    /// <param name="log">Receives one line per epoch and notable events, e.g. an ML.NET channel's Info.</param>
    public TrainingLoop(TrainingOptions options, Action<string>? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log;
    }

    /// <summary>Trains <paramref name="network"/> in place and returns the history.</summary>
    /// <param name="network">The network, already on the sources' device.</param>
    /// <param name="task">Loss and metric.</param>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Validation data, or <see langword="null"/> to split off <see cref="TrainingOptions.ValidationFraction"/> of <paramref name="train"/> (if any).</param>
    /// <param name="hooks">Sampler, augmentation, parameter groups, freezing and callbacks; <see langword="null"/>: none.</param>
    /// <returns>Per-epoch metrics (those of a resumed checkpoint included); the network holds the best epoch's weights
    /// when early stopping is on, and is left in evaluation mode.</returns>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch and batch and suggests a lower learning rate),
    /// or <see cref="TrainingOptions.EarlyStoppingPatience"/> is set without validation data.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is corrupt or does not fit this run.</exception>
    public TrainingHistory Run(nn.Module<Tensor, Tensor> network, ILossTask task, IBatchSource train, IBatchSource? validation = null, TrainingHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(train);
        _options.Validate();
        hooks ??= TrainingHooks.None;

        // Each training step allocates and frees its activations and gradients anew: keep them in the C heap (as scoring does).
        NativeHeap.EnsureConfigured();
        ConvolutionCheck.EnsureVerified();
        if (_options.EarlyStoppingPatience is not null && validation is null && _options.ValidationFraction == 0)
        {
            throw new InvalidOperationException(
                $"Option {nameof(TrainingOptions.EarlyStoppingPatience)} = {_options.EarlyStoppingPatience} needs validation data: " +
                $"pass a validation set or set {nameof(TrainingOptions.ValidationFraction)} to a value in (0, 1).");
        }

        IBatchSource? trainPart = null;
        IBatchSource? validationPart = null;
        try
        {
            if (validation is null && _options.ValidationFraction > 0)
            {
                (trainPart, validationPart) = train.Split(_options.ValidationFraction, _options.Seed);
                train = trainPart;
                validation = validationPart;
                var held = validation.CountRows();
                Log($"Held out {held} of {held + train.CountRows()} rows for validation ({nameof(TrainingOptions.ValidationFraction)} = {_options.ValidationFraction}).");
            }

            return RunCore(network, task, train, validation, hooks);
        }
        finally
        {
            trainPart?.Dispose();
            validationPart?.Dispose();
        }
    }

    private TrainingHistory RunCore(nn.Module<Tensor, Tensor> network, ILossTask task, IBatchSource train, IBatchSource? validation, TrainingHooks hooks)
    {
        var options = _options;
        var sampler = hooks.Sampler ?? new ShuffleSampler(options.Shuffle);
        var randomAccess = train as IRandomAccessBatchSource;
        if (hooks.Sampler is not null && randomAccess is null)
        {
            throw new NotSupportedException("A sampler needs a random-access (cached) training source, but the data is streamed; raise the cache budget.");
        }

        var rowCount = train.CountRows();
        var stepsPerEpoch = (rowCount + options.BatchSize - 1) / options.BatchSize;
        var scheduler = options.LearningRateSchedule?.Start(options.LearningRate, options.Epochs, checked((int)stepsPerEpoch))
            ?? new ConstantScheduler(options.LearningRate);
        var groups = ParameterGroups.Assign(network, hooks.ParameterGroups);
        using var optimizer = OptimizerFactory.Create(groups, options);
        using var freezer = Freezer.Create(network, hooks.Freezes);
        using var earlyStopping = new EarlyStopping(options, task, network);
        var history = new List<EpochMetrics>(options.Epochs);
        var state = new TrainingState(network, optimizer, scheduler, earlyStopping, history, options.Epochs, stepsPerEpoch);
        var context = new TrainingContext(network, optimizer, options.Epochs) { NonFiniteLossEndsRun = hooks.NonFiniteLossEndsRun };
        var runner = new EpochRunner(network, task, options, hooks, groups, scheduler, freezer, context);
        var first = 1;
        if (options.ResumeFromCheckpoint is { } resumeFrom)
        {
            first = Resume(resumeFrom, state) + 1;
        }

        for (var epoch = first; epoch <= options.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            context.Epoch = epoch;
            context.Batch = 0;
            context.LearningRate = scheduler.Current;
            freezer.SetEpoch(epoch);
            foreach (var callback in hooks.Callbacks)
            {
                callback.OnEpochStart(context);
            }

            (double Loss, double Metric, IReadOnlyDictionary<string, double>? ByTask, double Rate) trained;
            using (var scope = torch.NewDisposeScope())
            {
                trained = runner.Train(train, EpochOrder(sampler, randomAccess, rowCount, epoch), epoch);
            }

            (double Loss, double Metric, IReadOnlyDictionary<string, double>? ByTask)? validated = validation is null ? null : runner.Evaluate(validation);
            scheduler.OnEpochEnd(validated?.Loss);
            var metrics = new EpochMetrics(epoch, trained.Loss, trained.Metric, validated?.Loss, validated?.Metric, trained.Rate, watch.Elapsed, trained.ByTask, validated?.ByTask);
            history.Add(metrics);
            options.Progress?.Report(metrics);
            _log?.Invoke(Describe(metrics, options.Epochs, task.MetricName));
            var stop = earlyStopping.Observe(metrics, _log);
            foreach (var callback in hooks.Callbacks)
            {
                callback.OnEpochEnd(context, metrics);
            }

            if (options.CheckpointDirectory is { } directory && epoch % options.CheckpointFrequency == 0)
            {
                Log($"Wrote checkpoint {Checkpoint.Write(directory, epoch, state)}.");
            }

            if (stop || context.StopRequested)
            {
                if (!stop)
                {
                    Log($"Stopped after epoch {epoch} of {options.Epochs}: a callback requested it.");
                }

                break;
            }
        }

        var last = history.Count == 0 ? 0 : history[^1].Epoch;
        earlyStopping.RestoreBest(last, _log);
        network.eval();

        // A validation value that never improved (e.g. always NaN) leaves the last weights in place.
        return new TrainingHistory(history, earlyStopping.BestEpoch == 0 ? last : earlyStopping.BestEpoch, earlyStopping.Stopped);
    }

    /// <summary>
    /// The order of an epoch: the sampler's for a random-access source (in the current dispose
    /// scope), otherwise the streaming source's own shuffle seeded by seed and epoch.
    /// </summary>
    private BatchOrder EpochOrder(IBatchSampler sampler, IRandomAccessBatchSource? randomAccess, long rowCount, int epoch)
    {
        if (randomAccess is null)
        {
            return _options.Shuffle ? BatchOrder.Shuffled(Shuffling.EpochSeed(_options.Seed, epoch)) : BatchOrder.Sequential;
        }

        return sampler.EpochOrder(new SamplingContext(randomAccess, rowCount, epoch, _options.Seed)) is { } indices ? BatchOrder.Indexed(indices) : BatchOrder.Sequential;
    }

    private int Resume(string path, TrainingState state)
    {
        var (epoch, epochs, stepsPerEpoch) = Checkpoint.Read(path, state);
        Log($"Resumed from checkpoint {path} after epoch {epoch}.");
        if (epochs != state.Epochs || stepsPerEpoch != state.StepsPerEpoch)
        {
            Log($"Warning: the checkpoint was written by a run of {epochs} epochs of {stepsPerEpoch} batches, this run has {state.Epochs} of {state.StepsPerEpoch}; schedules that depend on the run's length will not continue exactly.");
        }

        return epoch;
    }

    private void Log(FormattableString message) => _log?.Invoke(message.ToString(CultureInfo.InvariantCulture));

    private static string Describe(EpochMetrics m, int epochs, string metricName)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"Epoch {m.Epoch}/{epochs}: loss {m.TrainingLoss:G5}, {metricName} {m.TrainingMetric:G5}{ByTask(m.TrainingMetricByTask)}");
        if (m.ValidationLoss is { } validationLoss)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", val loss {validationLoss:G5}, val {metricName} {m.ValidationMetric:G5}{ByTask(m.ValidationMetricByTask)}");
        }

        return line + string.Create(CultureInfo.InvariantCulture, $", lr {m.LearningRate:G4}, {m.Duration.TotalSeconds:F2} s");
    }

    private static string ByTask(IReadOnlyDictionary<string, double>? byTask)
        => byTask is null ? string.Empty : $" ({string.Join(", ", byTask.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:G4}")))})";
}

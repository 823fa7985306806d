using System.Diagnostics;
using System.Globalization;
using DeepLearning.Trainers.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// The one training loop every trainer uses: epochs of shuffled mini-batches, the optimiser,
/// L2, schedule, gradient clipping, validation, early stopping with best-weights restore,
/// NaN detection, cancellation, progress and logging. Trainers contribute the network and an
/// <see cref="ILossTask"/>.
/// </summary>
/// <remarks>
/// <see cref="TrainingOptions.L2Regularization"/> λ is passed to every optimiser as its weight decay:
/// adding λ·w to each gradient is the gradient of the L2 term (λ/2)·‖w‖² added to the loss. For
/// <see cref="OptimizerKind.AdamW"/> the decay is decoupled from the adaptive step, as in the AdamW paper.
/// </remarks>
public sealed class TrainingLoop
{
    private readonly TrainingOptions _options;
    private readonly Action<string>? _log;

    /// <summary>Creates a loop.</summary>
    /// <param name="options">Validated training options.</param>
    /// <param name="log">Receives one line per epoch and notable events, e.g. an ML.NET channel's Info.</param>
    public TrainingLoop(TrainingOptions options, Action<string>? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log;
    }

    /// <summary>
    /// Sets torch's intra-op thread count (when the options give one) and seeds torch's global
    /// generator, so that creating a network afterwards initialises it deterministically.
    /// Call before building the network.
    /// </summary>
    /// <param name="options">The options.</param>
    public static void PrepareTorch(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NumberOfThreads is { } threads)
        {
            torch.set_num_threads(threads);
        }

        torch.random.manual_seed(options.Seed);
    }

    /// <summary>Trains <paramref name="network"/> in place and returns the history.</summary>
    /// <param name="network">The network, already on the data's device.</param>
    /// <param name="objective">Loss and metric.</param>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Validation data, or <see langword="null"/> to split off <see cref="TrainingOptions.ValidationFraction"/> (if any).</param>
    /// <returns>Per-epoch metrics; the network holds the best epoch's weights when early stopping is on.
    /// The network is left in evaluation mode.</returns>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch and batch and suggests a lower learning rate),
    /// or <see cref="TrainingOptions.EarlyStoppingPatience"/> is set without validation data.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TrainingHistory Run(nn.Module<Tensor, Tensor> network, ILossTask objective, TensorDataset train, TensorDataset? validation = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(train);
        _options.Validate();

        if (_options.EarlyStoppingPatience is not null && validation is null && _options.ValidationFraction == 0)
        {
            throw new InvalidOperationException(
                $"Option {nameof(TrainingOptions.EarlyStoppingPatience)} = {_options.EarlyStoppingPatience} needs validation data: " +
                $"pass a validation set or set {nameof(TrainingOptions.ValidationFraction)} to a value in (0, 1).");
        }

        TensorDataset? splitTrain = null;
        TensorDataset? splitValidation = null;
        try
        {
            if (validation is null && _options.ValidationFraction > 0)
            {
                (splitTrain, splitValidation) = train.Split(_options.ValidationFraction, _options.Seed);
                train = splitTrain;
                validation = splitValidation;
                _log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Held out {validation.Count} of {validation.Count + train.Count} rows for validation ({nameof(TrainingOptions.ValidationFraction)} = {_options.ValidationFraction})."));
            }

            return RunCore(network, objective, train, validation);
        }
        finally
        {
            splitTrain?.Dispose();
            splitValidation?.Dispose();
        }
    }

    private TrainingHistory RunCore(nn.Module<Tensor, Tensor> network, ILossTask objective, TensorDataset train, TensorDataset? validation)
    {
        var options = _options;
        var token = options.CancellationToken;
        var device = train.Features.device;
        var features = train.Features;
        var labels = train.Labels;
        var rowCount = train.Count;
        var batchSize = options.BatchSize;
        var stepsPerEpoch = (int)((rowCount + batchSize - 1) / batchSize);
        var clipNorm = options.GradientClipNorm;
        var patience = options.EarlyStoppingPatience;

        var scheduler = options.LearningRateSchedule?.Start(options.LearningRate, options.Epochs, stepsPerEpoch)
            ?? new ConstantScheduler(options.LearningRate);
        var parameters = network.parameters().ToArray();
        var epochs = new List<EpochMetrics>(options.Epochs);
        var bestEpoch = 0;
        var bestLoss = double.PositiveInfinity;
        var badEpochs = 0;
        var stoppedEarly = false;

        OptimizerHelper? optimizer = null;
        Generator? generator = null;
        Tensor? permutation = null;
        Tensor? devicePermutation = null;
        BestWeights? bestWeights = null;
        try
        {
            optimizer = OptimizerFactory.Create(parameters, options);
            var groups = optimizer.ParamGroups.ToArray();
            var appliedRate = options.LearningRate;

            if (options.Shuffle)
            {
                generator = new Generator(unchecked((ulong)options.Seed), torch.CPU);
                permutation = torch.empty(rowCount, ScalarType.Int64).DetachFromDisposeScope();
                if (device.type != DeviceType.CPU)
                {
                    devicePermutation = torch.empty(rowCount, ScalarType.Int64, device).DetachFromDisposeScope();
                }
            }

            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                network.train();
                var order = Shuffle(rowCount, generator, permutation, devicePermutation);

                double lossSum = 0;
                var metric = objective.CreateMetric();
                var rate = scheduler.Current;
                var batch = 0;
                for (long start = 0; start < rowCount; start += batchSize)
                {
                    token.ThrowIfCancellationRequested();
                    batch++;
                    var rows = Math.Min(batchSize, rowCount - start);
                    using var scope = torch.NewDisposeScope();
                    Tensor x;
                    Tensor y;
                    if (order is null)
                    {
                        x = features.narrow(0, start, rows);
                        y = labels.narrow(0, start, rows);
                    }
                    else
                    {
                        var index = order.narrow(0, start, rows);
                        x = features.index_select(0, index);
                        y = labels.index_select(0, index);
                    }

                    rate = scheduler.Current;
                    optimizer.zero_grad();
                    var output = network.call(x);
                    var loss = objective.Loss(output, y);
                    var lossValue = ToDouble(loss);
                    if (!double.IsFinite(lossValue))
                    {
                        throw new InvalidOperationException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"The training loss became {(double.IsNaN(lossValue) ? "NaN" : "infinite")} in epoch {epoch}, batch {batch} at learning rate {rate:G4}. " +
                            $"Training diverged: try a lower {nameof(TrainingOptions.LearningRate)} or set {nameof(TrainingOptions.GradientClipNorm)}, and check the features for NaN or huge values."));
                    }

                    lossSum += lossValue * rows;
                    using (torch.no_grad())
                    {
                        metric.Update(output, y);
                    }

                    loss.backward();
                    if (clipNorm is { } maxNorm)
                    {
                        torch.nn.utils.clip_grad_norm_(parameters, maxNorm);
                    }

                    if (rate != appliedRate)
                    {
                        foreach (var group in groups)
                        {
                            group.LearningRate = rate;
                        }

                        appliedRate = rate;
                    }

                    optimizer.step();
                    scheduler.OnStep();
                }

                var trainingLoss = lossSum / rowCount;
                var trainingMetric = metric.Compute();
                double? validationLoss = null;
                double? validationMetric = null;
                if (validation is not null)
                {
                    (validationLoss, validationMetric) = Evaluate(network, objective, validation, batchSize);
                }

                scheduler.OnEpochEnd(validationLoss);
                var metrics = new EpochMetrics(epoch, trainingLoss, trainingMetric, validationLoss, validationMetric, rate, watch.Elapsed);
                epochs.Add(metrics);
                options.Progress?.Report(metrics);
                _log?.Invoke(Describe(metrics, options.Epochs, objective.MetricName));

                if (patience is null || validationLoss is not { } currentLoss)
                {
                    bestEpoch = epoch;
                    continue;
                }

                // Lower is better for the monitored value; a higher-is-better metric is negated.
                var monitored = options.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationLoss
                    ? currentLoss
                    : objective.HigherIsBetter ? -validationMetric!.Value : validationMetric!.Value;
                if (monitored < bestLoss)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    badEpochs = 0;
                    bestWeights ??= new BestWeights(network);
                    bestWeights.Capture();
                }
                else if (++badEpochs >= patience.Value && epoch < options.Epochs)
                {
                    stoppedEarly = true;
                    _log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Early stopping after epoch {epoch}: the validation {Monitored(options, objective)} has not improved for {badEpochs} epochs; best epoch {bestEpoch} (validation {Monitored(options, objective)} {Math.Abs(bestLoss):G5})."));
                    break;
                }
            }

            if (bestWeights is not null && bestEpoch != epochs.Count)
            {
                bestWeights.Restore();
                _log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Restored the weights of epoch {bestEpoch} (validation {Monitored(options, objective)} {Math.Abs(bestLoss):G5})."));
            }

            network.eval();

            // A validation loss that never improved (e.g. always NaN) leaves the last weights in place.
            return new TrainingHistory(epochs, bestEpoch == 0 ? epochs.Count : bestEpoch, stoppedEarly);
        }
        finally
        {
            optimizer?.Dispose();
            generator?.Dispose();
            permutation?.Dispose();
            devicePermutation?.Dispose();
            bestWeights?.Dispose();
        }
    }

    /// <summary>Fills the permutation for an epoch, or returns null for the data's own order.</summary>
    private static Tensor? Shuffle(long rowCount, Generator? generator, Tensor? permutation, Tensor? devicePermutation)
    {
        if (generator is null || permutation is null)
        {
            return null;
        }

        using (torch.NewDisposeScope())
        {
            torch.randperm(rowCount, permutation, generator);
            if (devicePermutation is null)
            {
                return permutation;
            }

            devicePermutation.copy_(permutation);
            return devicePermutation;
        }
    }

    private static (double Loss, double Metric) Evaluate(nn.Module<Tensor, Tensor> network, ILossTask objective, TensorDataset data, int batchSize)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        var count = data.Count;

        // Without autograd the activations of a batch are freed at once: larger batches are cheaper.
        var evaluationBatch = Math.Max(batchSize, Math.Min(4L * batchSize, 4096L));
        double lossSum = 0;
        var metric = objective.CreateMetric();
        for (long start = 0; start < count; start += evaluationBatch)
        {
            var rows = Math.Min(evaluationBatch, count - start);
            using var scope = torch.NewDisposeScope();
            var x = data.Features.narrow(0, start, rows);
            var y = data.Labels.narrow(0, start, rows);
            var output = network.call(x);
            lossSum += ToDouble(objective.Loss(output, y)) * rows;
            metric.Update(output, y);
        }

        return (lossSum / count, metric.Compute());
    }

    private static double ToDouble(Tensor scalar) => scalar.dtype switch
    {
        ScalarType.Float32 => scalar.item<float>(),
        ScalarType.Float64 => scalar.item<double>(),
        _ => scalar.to_type(ScalarType.Float64).item<double>(),
    };

    private static string Monitored(TrainingOptions options, ILossTask objective)
        => options.EarlyStoppingMonitor == EarlyStoppingMonitor.ValidationLoss ? "loss" : objective.MetricName;

    private static string Describe(EpochMetrics m, int epochs, string metricName)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"Epoch {m.Epoch}/{epochs}: loss {m.TrainingLoss:G5}, {metricName} {m.TrainingMetric:G5}");
        if (m.ValidationLoss is { } validationLoss)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", val loss {validationLoss:G5}, val {metricName} {m.ValidationMetric:G5}");
        }

        return line + string.Create(CultureInfo.InvariantCulture, $", lr {m.LearningRate:G4}, {m.Duration.TotalSeconds:F2} s");
    }
}

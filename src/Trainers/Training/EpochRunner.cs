using System.Globalization;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>Runs one training epoch (mini-batch steps) and validation passes for the <see cref="TrainingLoop"/>.</summary>
internal sealed class EpochRunner
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly ILossTask _task;
    private readonly TrainingOptions _options;
    private readonly TrainingHooks _hooks;
    private readonly OptimizerHelper _optimizer;
    private readonly ParameterGroups _groups;
    private readonly Parameter[] _parameters;
    private readonly ILearningRateScheduler _scheduler;
    private readonly Freezer _freezer;
    private readonly TrainingContext _context;
    private double _appliedRate = double.NaN;

    /// <summary>Creates the runner of a run.</summary>
    public EpochRunner(nn.Module<Tensor, Tensor> network, ILossTask task, TrainingOptions options, TrainingHooks hooks, ParameterGroups groups, ILearningRateScheduler scheduler, Freezer freezer, TrainingContext context)
    {
        _network = network;
        _task = task;
        _options = options;
        _hooks = hooks;
        _groups = groups;
        _optimizer = context.Optimizer;
        _parameters = [.. groups.Groups.SelectMany(g => g.Parameters)];
        _scheduler = scheduler;
        _freezer = freezer;
        _context = context;
    }

    /// <summary>One pass of optimiser steps over <paramref name="source"/> in <paramref name="order"/>.</summary>
    /// <returns>Mean loss over rows, the task's metric (and per-task metrics of a multi-task network), and the rate of the last batch.</returns>
    public (double Loss, double Metric, IReadOnlyDictionary<string, double>? ByTask, double Rate) Train(IBatchSource source, BatchOrder order, int epoch)
    {
        var token = _options.CancellationToken;
        var clipNorm = _options.GradientClipNorm;
        _network.train();
        _freezer.KeepFrozenBatchNormsInEvaluationMode();
        var metric = _task.CreateMetric();
        double lossSum = 0;
        long rows = 0;
        var rate = _scheduler.Current;
        var batchNumber = 0;
        using var reader = source.Open(_options.BatchSize, order);
        while (true)
        {
            token.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            if (!reader.TryRead(out var batch))
            {
                break;
            }

            batchNumber++;
            if (_hooks.Augmentation is { } augmentation)
            {
                batch = augmentation.Apply(batch, epoch, batchNumber);
            }

            rate = _scheduler.Current;
            if (rate != _appliedRate)
            {
                _groups.SetLearningRate(_optimizer, rate);
                _appliedRate = rate;
            }

            _optimizer.zero_grad();
            var output = _network.call(batch.Input);
            var loss = _task.Loss(output, batch.Target);
            var lossValue = ToDouble(loss);
            if (!double.IsFinite(lossValue) && _context.NonFiniteLossEndsRun)
            {
                _context.EndedOnNonFiniteLoss = true;
                _context.RequestStopAfterBatch();
                break;
            }

            if (!double.IsFinite(lossValue))
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The training loss became {(double.IsNaN(lossValue) ? "NaN" : "infinite")} in epoch {epoch}, batch {batchNumber} at learning rate {rate:G4}. " +
                    $"Training diverged: try a lower {nameof(TrainingOptions.LearningRate)} or set {nameof(TrainingOptions.GradientClipNorm)}, and check the features for NaN or huge values."));
            }

            var batchRows = batch.Rows;
            lossSum += lossValue * batchRows;
            rows += batchRows;
            using (torch.no_grad())
            {
                metric.Update(output, batch.Target);
            }

            loss.backward();
            if (clipNorm is { } maxNorm)
            {
                torch.nn.utils.clip_grad_norm_(_parameters, maxNorm);
            }

            _optimizer.step();
            _scheduler.OnStep();
            if (_hooks.Callbacks.Count > 0)
            {
                _context.Batch = batchNumber;
                _context.BatchLoss = lossValue;
                _context.LearningRate = rate;
                foreach (var callback in _hooks.Callbacks)
                {
                    callback.OnBatchEnd(_context);
                }
            }

            if (_context.StopAfterBatchRequested)
            {
                break;
            }
        }

        if (rows == 0 && !_context.EndedOnNonFiniteLoss)
        {
            throw new InvalidOperationException($"Epoch {epoch} read no training rows.");
        }

        return (rows == 0 ? double.NaN : lossSum / rows, metric.Compute(), ByTask(metric), rate);
    }

    /// <summary>Mean loss and metric (and per-task metrics of a multi-task network) over <paramref name="source"/> in evaluation mode, without augmentation.</summary>
    public (double Loss, double Metric, IReadOnlyDictionary<string, double>? ByTask) Evaluate(IBatchSource source)
    {
        _network.eval();
        using var noGrad = torch.no_grad();

        // Without autograd the activations of a batch are freed at once: larger batches are cheaper.
        var batchSize = _options.BatchSize;
        var evaluationBatch = (int)Math.Max(batchSize, Math.Min(4L * batchSize, 4096L));
        var metric = _task.CreateMetric();
        double lossSum = 0;
        long rows = 0;
        using var reader = source.Open(evaluationBatch, BatchOrder.Sequential);
        while (true)
        {
            using var scope = torch.NewDisposeScope();
            if (!reader.TryRead(out var batch))
            {
                break;
            }

            var output = _network.call(batch.Input);
            lossSum += ToDouble(_task.Loss(output, batch.Target)) * batch.Rows;
            rows += batch.Rows;
            metric.Update(output, batch.Target);
        }

        return (rows == 0 ? double.NaN : lossSum / rows, metric.Compute(), ByTask(metric));
    }

    private static IReadOnlyDictionary<string, double>? ByTask(MetricAccumulator metric)
        => metric.ComputeByTask() is { Count: > 0 } byTask ? byTask : null;

    private static double ToDouble(Tensor scalar) => scalar.dtype switch
    {
        ScalarType.Float32 => scalar.item<float>(),
        ScalarType.Float64 => scalar.item<double>(),
        _ => scalar.to_type(ScalarType.Float64).item<double>(),
    };
}

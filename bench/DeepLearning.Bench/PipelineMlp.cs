using System.Diagnostics;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Bench;

/// <summary>What one epoch of a pipeline run measured (from <see cref="TrainingOptions.Progress"/>).</summary>
internal sealed record PipelineEpoch(int Epoch, double Seconds, double SamplesPerSecond, double TrainLoss, double TrainAccuracy, double? ValidationAccuracy, double RssMb);

/// <summary>A whole pipeline run.</summary>
internal sealed record PipelineRun(IReadOnlyList<PipelineEpoch> Epochs, double TestAccuracy, double FitSeconds);

/// <summary>
/// The raw mode's network (784-256-128-10, ReLU, dropout 0.2, Adam 1e-3, batch 128, two threads,
/// seed 1) trained through ML.NET: MapValueToKey("Label") and the DeepNeuralNetwork trainer, so the
/// difference to <see cref="RawTorchSharpMlp"/> is the cost of the pipeline and the training loop.
/// Epoch times are the loop's own (EpochMetrics.Duration, validation included when
/// <c>--early-stopping</c> holds out 10%); <c>fitSeconds</c> is the whole Fit, data caching included.
/// </summary>
internal static class PipelineMlp
{
    private const string Name = "pipeline-mlp";
    private const string LogisticRegressionName = "pipeline-logreg";
    private const int LogisticRegressionEpochs = 20;
    private const double ValidationFraction = 0.1;

    public static int Run(BenchOptions options)
    {
        Train(Name, options, [256, 128], [0.2], options.Epochs);
        return 0;
    }

    public static int RunLogisticRegression(BenchOptions options)
    {
        Train(LogisticRegressionName, options, [], [], options.RequestedEpochs ?? LogisticRegressionEpochs);
        return 0;
    }

    /// <summary>Runs the raw baseline, then the pipeline, with the same epochs, and prints their seconds per epoch.</summary>
    public static int Compare(BenchOptions options)
    {
        var raw = RawTorchSharpMlp.Train(options);
        var pipeline = Train(Name, options, [256, 128], [0.2], options.Epochs);
        double rawSeconds = JsonReport.SteadySecondsPerEpoch(raw.Select(e => e.Seconds));
        double pipelineSeconds = JsonReport.SteadySecondsPerEpoch(pipeline.Epochs.Select(e => e.Seconds));
        JsonReport.Line(w =>
        {
            w.WriteString("bench", "compare");
            w.WriteNumber("epochs", options.Epochs);
            w.WriteNumber("rawSecondsPerEpoch", Math.Round(rawSeconds, 3));
            w.WriteNumber("pipelineSecondsPerEpoch", Math.Round(pipelineSeconds, 3));
            w.WriteNumber("ratio", Math.Round(pipelineSeconds / rawSeconds, 3));
            w.WriteNumber("rawTestAccuracy", Math.Round(raw[^1].TestAccuracy, 5));
            w.WriteNumber("pipelineTestAccuracy", Math.Round(pipeline.TestAccuracy, 5));
        });
        return 0;
    }

    private static PipelineRun Train(string name, BenchOptions options, int[] hiddenLayers, double[] dropout, int epochs)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, source) = BenchData.LoadViews(ml, options);
        long rows = train.GetRowCount() ?? 0;
        long trainingRows = options.EarlyStopping ? rows - (long)Math.Round(rows * ValidationFraction) : rows;
        var progress = new EpochRecorder(name, trainingRows);
        var trainerOptions = new DeepNeuralNetworkTrainer.Options
        {
            HiddenLayers = hiddenLayers,
            Dropout = dropout,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3,
            BatchSize = 128,
            Epochs = epochs,
            NumberOfThreads = 2,
            Seed = 1,
            EarlyStoppingPatience = options.EarlyStopping ? 3 : null,
            EarlyStoppingMonitor = EarlyStoppingMonitor.ValidationMetric,
            ValidationFraction = options.EarlyStopping ? ValidationFraction : 0,
            Progress = progress,
            LearningRateSchedule = options.Cosine ? new CosineAnnealingSchedule() : null,
        };

        double startRss = Rss.CurrentMb();
        var watch = Stopwatch.StartNew();
        var (model, network) = Fit(ml, trainerOptions, train);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        try
        {
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            var run = new PipelineRun(progress.Epochs, metrics.MicroAccuracy, fitSeconds);
            Summary(name, source, run, network.History, startRss);
            return run;
        }
        finally
        {
            network.Dispose();
        }
    }

    /// <summary>Fits MapValueToKey("Label") and the trainer as one ML.NET pipeline.</summary>
    private static (ITransformer Model, NetworkPredictionTransformer Network) Fit(MLContext ml, DeepNeuralNetworkTrainer.Options options, IDataView train)
    {
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options))
            .Fit(train);
        return (model, model.LastTransformer);
    }

    private static void Summary(string name, string source, PipelineRun run, TrainingHistory? history, double startRss)
    {
        var epochs = run.Epochs;
        var steady = epochs.Count > 1 ? epochs.Skip(1).ToList() : epochs.ToList();
        JsonReport.Line(w =>
        {
            w.WriteString("bench", name);
            w.WriteString("summary", "epochs 2..N");
            w.WriteString("data", source);
            w.WriteNumber("epochs", epochs.Count);
            w.WriteNumber("meanSecondsPerEpoch", Math.Round(steady.Average(e => e.Seconds), 3));
            w.WriteNumber("meanSamplesPerSecond", Math.Round(steady.Average(e => e.SamplesPerSecond), 1));
            w.WriteNumber("finalTrainLoss", Math.Round(epochs[^1].TrainLoss, 5));
            w.WriteNumber("testAccuracy", Math.Round(run.TestAccuracy, 5));
            w.WriteNumber("fitSeconds", Math.Round(run.FitSeconds, 3));
            w.WriteNumber("startRssMb", Math.Round(startRss, 1));
            w.WriteNumber("peakRssMb", Math.Round(epochs.Max(e => e.RssMb), 1));
            w.WriteNumber("processPeakRssMb", Math.Round(Rss.PeakMb(), 1));
            w.WriteNumber("rssGrowthMb", Math.Round(epochs[^1].RssMb - steady[0].RssMb, 1));
            if (history is not null)
            {
                w.WriteNumber("bestEpoch", history.BestEpoch);
                w.WriteBoolean("stoppedEarly", history.StoppedEarly);
            }
        });
    }

    /// <summary>Records and prints each epoch synchronously, on the training thread, as the loop reports it.</summary>
    private sealed class EpochRecorder(string name, long trainingRows) : IProgress<EpochMetrics>
    {
        private readonly List<PipelineEpoch> _epochs = [];

        public IReadOnlyList<PipelineEpoch> Epochs => _epochs;

        public void Report(EpochMetrics value)
        {
            double seconds = value.Duration.TotalSeconds;
            var epoch = new PipelineEpoch(value.Epoch, seconds, trainingRows / seconds, value.TrainingLoss, value.TrainingMetric, value.ValidationMetric, Rss.CurrentMb());
            _epochs.Add(epoch);
            JsonReport.Line(w =>
            {
                w.WriteString("bench", name);
                w.WriteNumber("epoch", epoch.Epoch);
                w.WriteNumber("seconds", Math.Round(epoch.Seconds, 3));
                w.WriteNumber("samplesPerSecond", Math.Round(epoch.SamplesPerSecond, 1));
                w.WriteNumber("trainLoss", Math.Round(epoch.TrainLoss, 5));
                w.WriteNumber("trainAccuracy", Math.Round(epoch.TrainAccuracy, 5));
                if (epoch.ValidationAccuracy is { } accuracy)
                {
                    w.WriteNumber("validationAccuracy", Math.Round(accuracy, 5));
                }

                w.WriteNumber("rssMb", Math.Round(epoch.RssMb, 1));
            });
        }
    }
}

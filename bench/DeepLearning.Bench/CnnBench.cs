using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using TorchSharp;

namespace DeepLearning.Bench;

/// <summary>
/// Mode <c>cnn</c>: trains an architecture of the zoo on the full Fashion-MNIST training set through
/// the ML.NET pipeline (MapValueToKey("Label") + the ConvolutionalNeuralNetwork trainer; batch 128 or --batch,
/// two threads, seed 1, standardised features, cosine annealing to 0 per step), scoring the test
/// set after every epoch as the loop's validation set. Then it times inference over the 10,000
/// test images at batch 256 three ways, each after an untimed warm-up pass and repeated
/// <see cref="InferenceRepeats"/> times (the summary's headline figure is the median):
/// (a) our TorchSharp transformer (<c>Transform</c> and a cursor reading the Score column),
/// (b) ML.NET's <c>ApplyOnnxModel</c> on the pipeline exported by <c>ConvertToOnnx</c> (ML.NET feeds
/// ONNX Runtime one row at a time, whatever the batch), and (c) an ONNX Runtime session on the
/// network exported alone (<see cref="NetworkOnnxExport"/>), fed 256 images per call.
/// bench/pytorch/cnn.py is the peer: bench/compare-cnn.sh runs both as separate processes, one after
/// the other, and <c>--peer</c> runs it in lockstep (one of its epochs after each of ours, its
/// inference passes between ours), so that each ratio is measured within minutes on a shared machine.
/// </summary>
internal static class CnnBench
{
    /// <summary>Images per inference call.</summary>
    public const int InferenceBatch = 256;

    /// <summary>Timed repetitions of each inference measurement.</summary>
    public const int InferenceRepeats = 3;

    /// <summary>Torch and ONNX Runtime intra-op threads of every CNN measurement.</summary>
    public const int Threads = 2;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        if (Architecture(options.Architecture, options.Width) is not { } architecture)
        {
            Console.Error.WriteLine($"Unknown --arch '{options.Architecture}': use small-cnn, lenet5, resnet20, resnet32, resnet44 or resnet56.");
            return 2;
        }

        if (Optimizer(options.Optimizer) is not { } optimizer)
        {
            Console.Error.WriteLine($"Unknown --optimizer '{options.Optimizer}': use adam, adamw or nesterov.");
            return 2;
        }

        if (options.Peer && options.CheckpointDirectory is not null)
        {
            Console.Error.WriteLine("--checkpoint cannot go with --peer: the peer's run cannot resume.");
            return 2;
        }

        string name = $"cnn-{options.Architecture}";
        using var peer = options.Peer ? StartPeer(options) : null;
        if (options.Peer && peer is null)
        {
            return 1;
        }

        var ml = new MLContext(seed: 1);
        var (train, test, source) = BenchData.LoadViews(ml, options);
        long trainRows = train.GetRowCount() ?? 0;
        var recorder = new EpochRecorder(name, trainRows, peer, options.PeerEpochs ?? int.MaxValue);
        var trainerOptions = new ConvolutionalNeuralNetworkTrainer.Options
        {
            Architecture = architecture,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Optimizer = optimizer,
            LearningRate = options.LearningRate ?? (optimizer == OptimizerKind.Nesterov ? 0.1 : 1e-3),
            Momentum = 0.9,
            L2Regularization = options.WeightDecay,
            LearningRateSchedule = new CosineAnnealingSchedule(),
            Augmentation = Augmentation(options),
            NormalizeFeatures = true,
            NumberOfThreads = Threads,
            Seed = 1,
            Progress = recorder,
            CheckpointDirectory = options.CheckpointDirectory,
            ResumeFromCheckpoint = Resuming(name, options),

            // The test set through the same key mapping as the pipeline's, so its accuracy is reported per epoch.
            ValidationSet = options.Validate ? ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(test) : null,
        };

        double startRss = Rss.CurrentMb();
        var watch = Stopwatch.StartNew();
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(trainerOptions, new MulticlassClassificationTask { LabelSmoothing = options.LabelSmoothing }))
            .Fit(train);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        var network = model.LastTransformer;
        string onnxPath = Path.Combine(Path.GetTempPath(), $"cnn-bench-{Environment.ProcessId}.onnx");
        try
        {
            long parameters = network.Network.parameters().Sum(p => p.numel());
            double testAccuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            torch.set_num_threads(Threads);
            network.ScoringBatchSize = InferenceBatch;
            int testRows = checked((int)(test.GetRowCount() ?? 0));
            var torchSharp = new ScoringPass("torchSharp", testRows, p => CnnScoringPasses.ReadScores(network.Transform(test), "Score", p));
            using var applyOnnx = CnnScoringPasses.ApplyOnnxModelPass(ml, model, train, test, testRows, onnxPath);
            using var session = CnnScoringPasses.OnnxSessionPass(ml, network, options, testRows);
            ScoringPass[] passes = [torchSharp, applyOnnx.Pass, session.Pass];
            var peerRates = new List<double>();
            for (int repeat = 0; repeat <= InferenceRepeats; repeat++)
            {
                foreach (var pass in passes)
                {
                    pass.Run(timed: repeat > 0);
                }

                if (peer?.Infer(timed: repeat > 0) is { } rate)
                {
                    peerRates.Add(rate);
                }
            }

            string? peerSummary = peer?.Request("summary");
            var timings = passes.Select(p => (p.Name, new InferenceTiming(p.Rates, CnnScoringPasses.Agreement(torchSharp.Predictions, p.Predictions)))).ToList();
            Summary(name, source, options, trainRows, testRows, parameters, recorder, testAccuracy, fitSeconds, startRss, timings, peerSummary);
        }
        finally
        {
            File.Delete(onnxPath);
            network.Dispose();
        }

        return 0;
    }

    /// <summary>
    /// The checkpoint to resume from (<see cref="BenchOptions.LatestCheckpoint"/>), announced on a line of its own:
    /// the epochs and seconds that follow are those after it.
    /// </summary>
    internal static string? Resuming(string bench, BenchOptions options)
    {
        if (options.LatestCheckpoint is not { } path)
        {
            return null;
        }

        JsonReport.Line(w =>
        {
            w.WriteString("bench", bench);
            w.WriteString("resumedFrom", path);
        });
        return path;
    }

    /// <summary>Starts bench/pytorch/cnn.py in lockstep with the same architecture and protocol.</summary>
    private static PyTorchPeer? StartPeer(BenchOptions options)
    {
        var arguments = new List<string>
        {
            "--lockstep", "--arch", options.Architecture, "--epochs", options.Epochs.ToString(CultureInfo.InvariantCulture),
            "--optimizer", options.Optimizer, "--weight-decay", options.WeightDecay.ToString("R", CultureInfo.InvariantCulture), "--data", options.DataDirectory,
            "--label-smoothing", options.LabelSmoothing.ToString("R", CultureInfo.InvariantCulture),
            "--width", options.Width.ToString("R", CultureInfo.InvariantCulture),
            "--batch", options.BatchSize.ToString(CultureInfo.InvariantCulture),
        };
        if (options.LearningRate is { } rate)
        {
            arguments.AddRange(["--lr", rate.ToString("R", CultureInfo.InvariantCulture)]);
        }

        if (options.Augment)
        {
            arguments.Add("--augment");
        }
        else if (options.FlipOnly)
        {
            arguments.Add("--flip");
        }

        if (options.Erase)
        {
            arguments.Add("--erase");
        }

        var peer = PyTorchPeer.TryStart("cnn.py", arguments);
        if (peer is null)
        {
            Console.Error.WriteLine("--peer: bench/pytorch/cnn.py could not be started with /usr/bin/python3 (or $PYTHON) and torch.");
        }

        return peer;
    }

    /// <summary>The spec of <c>--arch</c>; its input size and class count come from the data.</summary>
    internal static ImageNetworkSpec? Architecture(string name, double width = 1) => name.ToLowerInvariant() switch
    {
        "small-cnn" => new SmallCnnSpec { WidthMultiplier = width },
        "lenet5" => new LeNet5Spec { SmallInput = true },
        "resnet20" => new ResNetSpec { Variant = ResNetVariant.ResNet20 },
        "resnet32" => new ResNetSpec { Variant = ResNetVariant.ResNet32 },
        "resnet44" => new ResNetSpec { Variant = ResNetVariant.ResNet44 },
        "resnet56" => new ResNetSpec { Variant = ResNetVariant.ResNet56 },
        _ => null,
    };

    /// <summary>The training augmentation of <c>--augment</c>, <c>--flip</c> and <c>--erase</c>, or <see langword="null"/> for none.</summary>
    private static AugmentationPipeline? Augmentation(BenchOptions options)
    {
        var steps = new List<AugmentationStep>();
        if (options.Augment)
        {
            steps.Add(new RandomCrop { Padding = 2 });
        }

        if (options.Augment || options.FlipOnly)
        {
            steps.Add(new Flip());
        }

        if (options.Erase)
        {
            steps.Add(new RandomErasing());
        }

        return steps.Count == 0 ? null : new AugmentationPipeline(steps, seed: 1);
    }

    private static OptimizerKind? Optimizer(string name) => name.ToLowerInvariant() switch
    {
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        "nesterov" => OptimizerKind.Nesterov,
        _ => null,
    };

    private static void Summary(
        string name,
        string source,
        BenchOptions options,
        long trainRows,
        long testRows,
        long parameters,
        EpochRecorder recorder,
        double testAccuracy,
        double fitSeconds,
        double startRss,
        IReadOnlyList<(string Name, InferenceTiming Timing)> timings,
        string? peerSummary)
    {
        var epochs = recorder.Epochs;
        var steady = epochs.Count > 1 ? epochs.Skip(1).ToList() : epochs.ToList();
        double secondsPerEpoch = steady.Average(e => e.Seconds);
        double validationSeconds = options.Validate ? testRows / timings[0].Timing.Median : 0;
        JsonReport.Line(w =>
        {
            w.WriteString("bench", name);
            w.WriteString("summary", "epochs 2..N");
            w.WriteString("data", source);
            w.WriteString("arch", options.Architecture);
            w.WriteNumber("width", options.Width);
            w.WriteNumber("batch", options.BatchSize);
            w.WriteString("onednnMaxCpuIsa", Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "default");
            w.WriteNumber("parameters", parameters);
            w.WriteNumber("epochs", epochs.Count);
            w.WriteBoolean("augment", options.Augment);
            w.WriteBoolean("flip", options.FlipOnly);
            w.WriteBoolean("erase", options.Erase);
            w.WriteString("optimizer", options.Optimizer);
            w.WriteNumber("labelSmoothing", options.LabelSmoothing);
            w.WriteBoolean("validationInEpochSeconds", options.Validate);
            w.WriteNumber("meanSecondsPerEpoch", Math.Round(secondsPerEpoch, 3));
            w.WriteNumber("trainImagesPerSecond", Math.Round(trainRows / secondsPerEpoch, 1));

            // The validation pass is inside the loop's epoch time; this removes an estimate of it (the test set at the transformer's rate).
            w.WriteNumber("trainOnlyImagesPerSecondEstimate", Math.Round(trainRows / (secondsPerEpoch - validationSeconds), 1));
            w.WriteNumber("finalTrainLoss", Math.Round(epochs[^1].TrainLoss, 5));
            w.WriteNumber("testAccuracy", Math.Round(testAccuracy, 5));
            w.WriteNumber("fitSeconds", Math.Round(fitSeconds, 3));
            w.WriteNumber("startRssMb", Math.Round(startRss, 1));
            w.WriteNumber("peakEpochRssMb", Math.Round(epochs.Max(e => e.RssMb), 1));
            w.WriteNumber("processPeakRssMb", Math.Round(Rss.PeakMb(), 1));
            w.WriteStartArray("rssByEpochMb");
            foreach (var epoch in epochs)
            {
                w.WriteNumberValue(Math.Round(epoch.RssMb, 1));
            }

            w.WriteEndArray();
            w.WriteNumber("rssGrowthMb", Math.Round(epochs[^1].RssMb - steady[0].RssMb, 1));
            w.WriteNumber("inferenceBatch", InferenceBatch);
            w.WriteString("inferenceStatistic", $"median of {InferenceRepeats} after a warm-up pass, the ways interleaved pass by pass");
            foreach (var (prefix, timing) in timings)
            {
                Timing(w, prefix, timing);
            }

            if (recorder.PeerRatios.Count > 0)
            {
                w.WriteStartArray("lockstepEpochRatios");
                foreach (var ratio in recorder.PeerRatios)
                {
                    w.WriteNumberValue(Math.Round(ratio, 3));
                }

                w.WriteEndArray();
            }

            if (peerSummary is not null)
            {
                using var peer = JsonDocument.Parse(peerSummary);
                w.WritePropertyName("peer");
                peer.RootElement.WriteTo(w);
            }
        });
    }

    private static void Timing(System.Text.Json.Utf8JsonWriter w, string prefix, InferenceTiming timing)
    {
        w.WriteNumber($"{prefix}ImagesPerSecond", Math.Round(timing.Median, 1));
        w.WriteNumber($"{prefix}BestImagesPerSecond", Math.Round(timing.Best, 1));
        w.WriteStartArray($"{prefix}Repeats");
        foreach (var rate in timing.ImagesPerSecond)
        {
            w.WriteNumberValue(Math.Round(rate, 1));
        }

        w.WriteEndArray();
        w.WriteNumber($"{prefix}Agreement", Math.Round(timing.Agreement, 5));
    }

    /// <summary>Records and prints each epoch synchronously, on the training thread, as the loop reports it.</summary>
    /// <remarks>With a peer, each of the first <paramref name="peerEpochs"/> reports then runs one peer epoch (outside our loop's epoch time) and prints the ratio.</remarks>
    private sealed class EpochRecorder(string name, long trainingRows, PyTorchPeer? peer, int peerEpochs) : IProgress<EpochMetrics>
    {
        private readonly List<CnnEpoch> _epochs = [];
        private readonly List<double> _peerRatios = [];

        /// <summary>The epochs so far.</summary>
        public IReadOnlyList<CnnEpoch> Epochs => _epochs;

        /// <summary>Per epoch: the peer's seconds over ours (both including the test pass); above 1 means we are faster.</summary>
        public IReadOnlyList<double> PeerRatios => _peerRatios;

        /// <inheritdoc />
        public void Report(EpochMetrics value)
        {
            double seconds = value.Duration.TotalSeconds;
            var epoch = new CnnEpoch(value.Epoch, seconds, trainingRows / seconds, value.TrainingLoss, value.TrainingMetric, value.ValidationMetric, Rss.CurrentMb());
            _epochs.Add(epoch);
            JsonReport.Line(w =>
            {
                w.WriteString("bench", name);
                w.WriteNumber("epoch", epoch.Epoch);
                w.WriteNumber("seconds", Math.Round(epoch.Seconds, 3));
                w.WriteNumber("trainImagesPerSecond", Math.Round(epoch.ImagesPerSecond, 1));
                w.WriteNumber("trainLoss", Math.Round(epoch.TrainLoss, 5));
                w.WriteNumber("trainAccuracy", Math.Round(epoch.TrainAccuracy, 5));
                if (epoch.TestAccuracy is { } accuracy)
                {
                    w.WriteNumber("testAccuracy", Math.Round(accuracy, 5));
                }

                w.WriteNumber("learningRate", value.LearningRate);
                w.WriteNumber("rssMb", Math.Round(epoch.RssMb, 1));
            });
            if (peer is null || epoch.Epoch > peerEpochs)
            {
                return;
            }

            string line = peer.Request("epoch");
            Console.Out.WriteLine(line);
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            double peerSeconds = root.GetProperty("seconds").GetDouble();
            _peerRatios.Add(peerSeconds / seconds);
            JsonReport.Line(w =>
            {
                w.WriteString("bench", "lockstep");
                w.WriteNumber("epoch", epoch.Epoch);
                w.WriteNumber("oursSeconds", Math.Round(seconds, 3));
                w.WriteNumber("pytorchSeconds", Math.Round(peerSeconds, 3));
                w.WriteNumber("pytorchTrainSeconds", Math.Round(root.GetProperty("trainSeconds").GetDouble(), 3));
                w.WriteNumber("trainSpeedRatio", Math.Round(peerSeconds / seconds, 3));
            });
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms.Onnx;
using TorchSharp;

namespace DeepLearning.Bench;

/// <summary>What one epoch of a CNN run measured (from <see cref="TrainingOptions.Progress"/>).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Seconds">The loop's own duration of the epoch: the training pass plus, unless <c>--no-validation</c>, the test-set pass.</param>
/// <param name="ImagesPerSecond">Training images over <paramref name="Seconds"/>.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy of the epoch (on augmented batches, dropout on).</param>
/// <param name="TestAccuracy">Test accuracy after the epoch, or <see langword="null"/> without validation.</param>
/// <param name="RssMb">Resident set size at the end of the epoch.</param>
internal sealed record CnnEpoch(int Epoch, double Seconds, double ImagesPerSecond, double TrainLoss, double TrainAccuracy, double? TestAccuracy, double RssMb);

/// <summary>Repeated timings of one way of scoring the test set, in images per second.</summary>
/// <param name="ImagesPerSecond">One figure per timed repetition (after one untimed warm-up pass).</param>
/// <param name="Agreement">Fraction of test images whose arg-max class equals the TorchSharp transformer's (1 for the transformer itself).</param>
internal sealed record InferenceTiming(IReadOnlyList<double> ImagesPerSecond, double Agreement)
{
    /// <summary>The median repetition.</summary>
    public double Median => ImagesPerSecond.Order().ElementAt(ImagesPerSecond.Count / 2);

    /// <summary>The fastest repetition.</summary>
    public double Best => ImagesPerSecond.Max();
}

/// <summary>One way of scoring the test set: a pass fills the arg-max classes and returns the rows read.</summary>
/// <param name="Name">The JSON prefix of its figures.</param>
/// <param name="Rows">Rows of the test set.</param>
/// <param name="Score">Scores every test row once, storing each row's arg-max class; returns the rows read.</param>
internal sealed record ScoringPass(string Name, int Rows, Func<int[], int> Score)
{
    private readonly List<double> _rates = [];

    /// <summary>The arg-max class of each test row, from the latest pass.</summary>
    public int[] Predictions { get; } = new int[Rows];

    /// <summary>Images per second of each timed pass.</summary>
    public IReadOnlyList<double> Rates => _rates;

    /// <summary>Runs one pass; records its rate when <paramref name="timed"/>.</summary>
    public void Run(bool timed)
    {
        var watch = Stopwatch.StartNew();
        int read = Score(Predictions);
        double seconds = watch.Elapsed.TotalSeconds;
        if (timed)
        {
            _rates.Add(read / seconds);
        }
    }
}

/// <summary>A scoring pass and what it owns (a transformer, a session), disposed together.</summary>
/// <param name="Pass">The pass.</param>
/// <param name="Resource">What the pass uses, or <see langword="null"/>.</param>
internal sealed record Owned(ScoringPass Pass, IDisposable? Resource) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Resource?.Dispose();
}

/// <summary>
/// Mode <c>cnn</c>: trains an architecture of the zoo on the full Fashion-MNIST training set through
/// the ML.NET pipeline (MapValueToKey("Label") + the ConvolutionalNeuralNetwork trainer; batch 128,
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
    /// <summary>Training batch size.</summary>
    public const int BatchSize = 128;

    /// <summary>Images per inference call.</summary>
    public const int InferenceBatch = 256;

    /// <summary>Timed repetitions of each inference measurement.</summary>
    public const int InferenceRepeats = 3;

    /// <summary>Torch and ONNX Runtime intra-op threads of every CNN measurement.</summary>
    public const int Threads = 2;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        if (Architecture(options.Architecture) is not { } architecture)
        {
            Console.Error.WriteLine($"Unknown --arch '{options.Architecture}': use small-cnn, lenet5, resnet20, resnet32, resnet44 or resnet56.");
            return 2;
        }

        if (Optimizer(options.Optimizer) is not { } optimizer)
        {
            Console.Error.WriteLine($"Unknown --optimizer '{options.Optimizer}': use adam, adamw or nesterov.");
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
        var recorder = new EpochRecorder(name, trainRows, peer);
        var trainerOptions = new ConvolutionalNeuralNetworkTrainer.Options
        {
            Architecture = architecture,
            Epochs = options.Epochs,
            BatchSize = BatchSize,
            Optimizer = optimizer,
            LearningRate = options.LearningRate ?? (optimizer == OptimizerKind.Nesterov ? 0.1 : 1e-3),
            Momentum = 0.9,
            L2Regularization = options.WeightDecay,
            LearningRateSchedule = new CosineAnnealingSchedule(),
            Augmentation = options.Augment ? new AugmentationPipeline([new RandomCrop { Padding = 2 }, new Flip()], seed: 1) : null,
            NormalizeFeatures = true,
            NumberOfThreads = Threads,
            Seed = 1,
            Progress = recorder,

            // The test set through the same key mapping as the pipeline's, so its accuracy is reported per epoch.
            ValidationSet = options.Validate ? ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(test) : null,
        };

        double startRss = Rss.CurrentMb();
        var watch = Stopwatch.StartNew();
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(trainerOptions))
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
            var torchSharp = new ScoringPass("torchSharp", testRows, p => ReadScores(network.Transform(test), "Score", p));
            using var applyOnnx = ApplyOnnxModelPass(ml, model, train, test, testRows, onnxPath);
            using var session = OnnxSessionPass(ml, network, options, testRows);
            ScoringPass[] passes = [torchSharp, applyOnnx.Pass, session.Pass];
            var peerRates = new List<double>();
            for (int repeat = 0; repeat <= InferenceRepeats; repeat++)
            {
                foreach (var pass in passes)
                {
                    pass.Run(timed: repeat > 0);
                }

                if (peer is not null)
                {
                    using var answer = JsonDocument.Parse(peer.Request(repeat > 0 ? "infer" : "warmup"));
                    if (repeat > 0)
                    {
                        peerRates.Add(answer.RootElement.GetProperty("inferenceImagesPerSecond").GetDouble());
                    }
                }
            }

            string? peerSummary = peer?.Request("summary");
            var timings = passes.Select(p => (p.Name, new InferenceTiming(p.Rates, Agreement(torchSharp.Predictions, p.Predictions)))).ToList();
            Summary(name, source, options, trainRows, testRows, parameters, recorder, testAccuracy, fitSeconds, startRss, timings, peerSummary);
        }
        finally
        {
            File.Delete(onnxPath);
            network.Dispose();
        }

        return 0;
    }

    /// <summary>Starts bench/pytorch/cnn.py in lockstep with the same architecture and protocol.</summary>
    private static PyTorchPeer? StartPeer(BenchOptions options)
    {
        var arguments = new List<string>
        {
            "--lockstep", "--arch", options.Architecture, "--epochs", options.Epochs.ToString(CultureInfo.InvariantCulture),
            "--optimizer", options.Optimizer, "--weight-decay", options.WeightDecay.ToString("R", CultureInfo.InvariantCulture), "--data", options.DataDirectory,
        };
        if (options.LearningRate is { } rate)
        {
            arguments.AddRange(["--lr", rate.ToString("R", CultureInfo.InvariantCulture)]);
        }

        if (options.Augment)
        {
            arguments.Add("--augment");
        }

        var peer = PyTorchPeer.TryStart("cnn.py", arguments);
        if (peer is null)
        {
            Console.Error.WriteLine("--peer: bench/pytorch/cnn.py could not be started with /usr/bin/python3 (or $PYTHON) and torch.");
        }

        return peer;
    }

    /// <summary>The spec of <c>--arch</c>; its input size and class count come from the data.</summary>
    internal static ImageNetworkSpec? Architecture(string name) => name.ToLowerInvariant() switch
    {
        "small-cnn" => new SmallCnnSpec(),
        "lenet5" => new LeNet5Spec { SmallInput = true },
        "resnet20" => new ResNetSpec { Variant = ResNetVariant.ResNet20 },
        "resnet32" => new ResNetSpec { Variant = ResNetVariant.ResNet32 },
        "resnet44" => new ResNetSpec { Variant = ResNetVariant.ResNet44 },
        "resnet56" => new ResNetSpec { Variant = ResNetVariant.ResNet56 },
        _ => null,
    };

    private static OptimizerKind? Optimizer(string name) => name.ToLowerInvariant() switch
    {
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        "nesterov" => OptimizerKind.Nesterov,
        _ => null,
    };

    /// <summary>
    /// (b) The whole fitted pipeline exported by <c>ConvertToOnnx</c> to <paramref name="path"/> and scored by
    /// <c>ApplyOnnxModel</c> with ONNX Runtime on <see cref="Threads"/> intra-op threads, consumed by a cursor
    /// over the score column.
    /// </summary>
    private static Owned ApplyOnnxModelPass(MLContext ml, ITransformer model, IDataView train, IDataView test, int rows, string path)
    {
        using (var file = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, train, file);
        }

        string[] inputs, outputs;
        using (var probe = new InferenceSession(path))
        {
            inputs = [.. probe.InputMetadata.Keys];
            outputs = [.. probe.OutputMetadata.Keys.Where(k => k.StartsWith("Score", StringComparison.Ordinal))];
        }

        var onnx = ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = path,
            InputColumns = inputs,
            OutputColumns = outputs,
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
        }).Fit(test);
        return new Owned(new ScoringPass("applyOnnxModel", rows, p => ReadScores(onnx.Transform(test), outputs[0], p)), onnx as IDisposable);
    }

    /// <summary>
    /// (c) The network transformer exported alone and run by an ONNX Runtime session (graph
    /// optimisations on, <see cref="Threads"/> intra-op threads), <see cref="InferenceBatch"/> images a call,
    /// over arrays already in memory: what ONNX Runtime can do without ML.NET's row-by-row feeding.
    /// </summary>
    private static Owned OnnxSessionPass(MLContext ml, NetworkPredictionTransformer network, BenchOptions options, int rows)
    {
        using var buffer = new MemoryStream();
        network.ExportToOnnx(ml, buffer);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var session = new InferenceSession(buffer.ToArray(), sessionOptions);
        var (inputName, metadata) = session.InputMetadata.First();
        string outputName = session.OutputMetadata.Keys.First(k => k.StartsWith("Score", StringComparison.Ordinal));
        var (pixels, _, count, _, _) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Test);
        if (count != rows)
        {
            throw new InvalidOperationException($"The test arrays have {count} rows, the data view {rows}.");
        }

        int length = pixels.Length / rows;
        int Pass(int[] predictions)
        {
            for (int start = 0; start < rows; start += InferenceBatch)
            {
                int n = Math.Min(InferenceBatch, rows - start);
                int[] shape = [n, .. metadata.Dimensions.Skip(1)];
                var tensor = new DenseTensor<float>(pixels.AsMemory(start * length, n * length), shape);
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)], [outputName]);
                var scores = (DenseTensor<float>)results.First().AsTensor<float>();
                ArgMax(scores.Buffer.Span, n, predictions.AsSpan(start, n));
            }

            return rows;
        }

        return new Owned(new ScoringPass("onnxSession", rows, Pass), session);
    }

    /// <summary>Reads every row's score vector of <paramref name="column"/> with a cursor; stores each row's arg-max; returns the rows read.</summary>
    private static int ReadScores(IDataView scored, string column, int[] predictions)
    {
        // ApplyOnnxModel names the column of graph output "X.output" back to "X".
        var score = scored.Schema.GetColumnOrNull(column) ?? scored.Schema[column.Replace(".output", string.Empty, StringComparison.Ordinal)];
        using var cursor = scored.GetRowCursor([score]);
        var getter = cursor.GetGetter<VBuffer<float>>(score);
        var values = default(VBuffer<float>);
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref values);
            ReadOnlySpan<float> scores = values.IsDense ? values.GetValues() : values.DenseValues().ToArray();
            ArgMax(scores, 1, predictions.AsSpan(row, 1));
            row++;
        }

        return row;
    }

    /// <summary>The arg-max of each of <paramref name="rows"/> equal slices of <paramref name="scores"/>.</summary>
    private static void ArgMax(ReadOnlySpan<float> scores, int rows, Span<int> into)
    {
        int classes = scores.Length / rows;
        for (int r = 0; r < rows; r++)
        {
            var row = scores.Slice(r * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            into[r] = best;
        }
    }

    private static double Agreement(int[] expected, int[] actual)
        => expected.Zip(actual).Count(p => p.First == p.Second) / (double)expected.Length;

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
            w.WriteNumber("parameters", parameters);
            w.WriteNumber("epochs", epochs.Count);
            w.WriteBoolean("augment", options.Augment);
            w.WriteString("optimizer", options.Optimizer);
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
    /// <remarks>With a peer, each report then runs one peer epoch (outside our loop's epoch time) and prints the ratio.</remarks>
    private sealed class EpochRecorder(string name, long trainingRows, PyTorchPeer? peer) : IProgress<EpochMetrics>
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
            if (peer is null)
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

using System.Diagnostics;
using System.Globalization;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// Mode <c>cnn-infer</c>: the CNN mode's inference comparison without the long training. Fits
/// <c>--arch</c> for <c>--epochs</c> (default 1) on the first <see cref="TrainRows"/> training images
/// (the weights do not change the cost of a forward pass) and saves it to a temporary zip, or, when
/// that zip exists, loads it (a fresh process that only scores, as a deployed app), then, <see cref="Repeats"/> times after one
/// untimed warm-up round, scores the 10,000 test images at batch 256 in turn: (1) our transformer
/// (<c>Transform</c> + a cursor over Score, as the cnn mode does), (2) the same pipeline unrolled by
/// hand with a stopwatch per phase (cursor reading into the batch buffer, tensor creation,
/// normalisation, forward, head, copy out), (3) the raw network's eval forward over a ready tensor
/// (PyTorch's protocol), and with <c>--peer</c> (4) bench/pytorch/cnn.py's inference pass.
/// </summary>
internal static class CnnInferenceBench
{
    /// <summary>Training images the model is fitted on.</summary>
    private const int TrainRows = 6000;

    /// <summary>Timed rounds.</summary>
    private const int Repeats = 3;

    private static readonly string[] PhaseNames = ["read", "tensor", "normalize", "forward", "head", "copyOut"];

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        if (CnnBench.Architecture(options.Architecture, options.Width) is not { } architecture)
        {
            Console.Error.WriteLine($"Unknown --arch '{options.Architecture}'.");
            return 2;
        }

        using var peer = options.Peer
            ? PyTorchPeer.TryStart("cnn.py", ["--lockstep", "--arch", options.Architecture, "--width", options.Width.ToString("R", CultureInfo.InvariantCulture), "--epochs", "1", "--data", options.DataDirectory])
            : null;
        if (options.Peer && peer is null)
        {
            Console.Error.WriteLine("--peer: bench/pytorch/cnn.py could not be started.");
            return 1;
        }

        var ml = new MLContext(seed: 1);
        var train = IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Train, maxRows: TrainRows);
        var test = IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Test);
        string path = Path.Combine(Path.GetTempPath(), $"cnn-infer-{options.Architecture}.zip");
        bool loaded = File.Exists(path);
        using var network = loaded ? Load(ml, path) : Fit(ml, train, architecture, options, path);
        torch.set_num_threads(CnnBench.Threads);
        network.ScoringBatchSize = CnnBench.InferenceBatch;
        int rows = checked((int)(test.GetRowCount() ?? 0));
        var (pixels, _, _, _, _) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Test);
        var phases = new double[PhaseNames.Length];
        var transformer = new ScoringPass("transformer", rows, p => CnnScoringPasses.ReadScores(network.Transform(test), "Score", p));
        var unrolled = new ScoringPass("unrolled", rows, p => Unrolled(network.Model, test, p, phases));
        var raw = new ScoringPass("rawForward", rows, p => RawForward(network.Model, pixels, rows, p));
        ScoringPass[] passes = [transformer, unrolled, raw];
        var peerRates = new List<double>();
        var loads = new List<double>();
        for (int repeat = 0; repeat <= Repeats; repeat++)
        {
            loads.Add(LoadAverage());
            Array.Clear(phases);
            foreach (var pass in passes)
            {
                pass.Run(timed: repeat > 0);
            }

            if (peer?.Infer(timed: repeat > 0) is { } rate)
            {
                peerRates.Add(rate);
            }

            if (repeat > 0)
            {
                Round(repeat, loads[^1], passes, peerRates, phases, rows);
            }
        }

        JsonReport.Line(w =>
        {
            w.WriteString("bench", $"cnn-infer-{options.Architecture}");
            w.WriteString("summary", $"median of {Repeats} rounds");
            w.WriteString("model", loaded ? $"loaded from {path} (a fresh scoring process)" : $"fitted in this process, saved to {path}");
            foreach (var pass in passes)
            {
                w.WriteNumber($"{pass.Name}ImagesPerSecond", Math.Round(new InferenceTiming(pass.Rates, 1).Median, 1));
            }

            if (peerRates.Count > 0)
            {
                w.WriteNumber("pytorchImagesPerSecond", Math.Round(new InferenceTiming(peerRates, 1).Median, 1));
                w.WriteStartArray("transformerOverPyTorch");
                for (int i = 0; i < peerRates.Count; i++)
                {
                    w.WriteNumberValue(Math.Round(transformer.Rates[i] / peerRates[i], 3));
                }

                w.WriteEndArray();
            }

            w.WriteNumber("agreementUnrolled", CnnScoringPasses.Agreement(transformer.Predictions, unrolled.Predictions));
            w.WriteNumber("agreementRaw", CnnScoringPasses.Agreement(transformer.Predictions, raw.Predictions));
            w.WriteString("loads", string.Join(' ', loads.Select(l => l.ToString("F2", CultureInfo.InvariantCulture))));
        });
        return 0;
    }

    /// <summary>Fits <paramref name="architecture"/> on <paramref name="train"/> and saves the model to <paramref name="path"/> for later runs.</summary>
    private static NetworkPredictionTransformer Fit(MLContext ml, IDataView train, ImageNetworkSpec architecture, BenchOptions options, string path)
    {
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
            {
                Architecture = architecture,
                Epochs = options.RequestedEpochs ?? 1,
                BatchSize = options.BatchSize,
                NormalizeFeatures = true,
                NumberOfThreads = CnnBench.Threads,
                Seed = 1,
            }))
            .Fit(train);
        ml.Model.Save(model, train.Schema, path);
        return model.LastTransformer;
    }

    /// <summary>The network transformer of the model saved at <paramref name="path"/>.</summary>
    private static NetworkPredictionTransformer Load(MLContext ml, string path)
        => ml.Model.Load(path, out _) is TransformerChain<ITransformer> { LastTransformer: NetworkPredictionTransformer network }
            ? network
            : throw new InvalidDataException($"{path} does not end with a network transformer; delete it to fit a new one.");

    private static void Round(int repeat, double load, ScoringPass[] passes, List<double> peerRates, double[] phases, int rows)
    {
        JsonReport.Line(w =>
        {
            w.WriteNumber("round", repeat);
            w.WriteNumber("load", load);
            foreach (var pass in passes)
            {
                w.WriteNumber($"{pass.Name}ImagesPerSecond", Math.Round(pass.Rates[^1], 1));
            }

            if (peerRates.Count > 0)
            {
                w.WriteNumber("pytorchImagesPerSecond", Math.Round(peerRates[^1], 1));
            }

            w.WriteNumber("transformerMs", Math.Round(rows / passes[0].Rates[^1] * 1000, 1));
            for (int i = 0; i < PhaseNames.Length; i++)
            {
                w.WriteNumber($"{PhaseNames[i]}Ms", Math.Round(phases[i], 1));
            }
        });
    }

    /// <summary>What <see cref="ScoringCursor"/> and <c>NetworkModel.Predict</c> do per batch, with the milliseconds of each phase added to <paramref name="phases"/>.</summary>
    private static int Unrolled(NetworkModel model, IDataView test, int[] predictions, double[] phases)
    {
        int length = checked((int)model.Input.Shape.Aggregate(1L, (a, b) => a * b));
        int batch = CnnBench.InferenceBatch;
        var inputs = new float[batch * length];
        int classes = model.Head.NetworkOutputs;
        var outputs = new float[batch * classes];
        var normalization = model.Input.Normalization;
        using var mean = normalization is null ? null : torch.tensor(normalization.Mean);
        using var std = normalization is null ? null : torch.tensor(normalization.Std);
        var features = test.Schema["Features"];
        using var cursor = test.GetRowCursor([features]);
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        var value = default(VBuffer<float>);
        var watch = new Stopwatch();
        int row = 0;
        while (true)
        {
            watch.Restart();
            int count = 0;
            while (count < batch && cursor.MoveNext())
            {
                getter(ref value);
                value.CopyTo(inputs.AsSpan(count * length, length));
                count++;
            }

            phases[0] += watch.Elapsed.TotalMilliseconds;
            if (count == 0)
            {
                return row;
            }

            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            watch.Restart();
            var x = torch.tensor(inputs, [batch, .. model.Input.Shape]).narrow(0, 0, count);
            Lap(watch, phases, 1);
            if (mean is not null)
            {
                x = x.sub(mean).div(std!);
            }

            Lap(watch, phases, 2);
            var logits = model.Network.forward(x);
            Lap(watch, phases, 3);
            var y = model.Head.PostProcess(logits);
            Lap(watch, phases, 4);
            y.reshape(-1).cpu().data<float>().CopyTo(outputs.AsSpan(0, count * classes));
            Lap(watch, phases, 5);
            CnnScoringPasses.ArgMax(outputs.AsSpan(0, count * classes), count, predictions.AsSpan(row, count));
            row += count;
        }
    }

    /// <summary>PyTorch's protocol: eval forward under no_grad over slices of a ready tensor, standardisation included.</summary>
    private static int RawForward(NetworkModel model, float[] pixels, int rows, int[] predictions)
    {
        var normalization = model.Input.Normalization!;
        double mean = normalization.Mean[0], std = normalization.Std[0];
        using var images = torch.tensor(pixels, [rows, .. model.Input.Shape]);
        using var noGrad = torch.no_grad();
        for (int start = 0; start < rows; start += CnnBench.InferenceBatch)
        {
            using var scope = torch.NewDisposeScope();
            int n = Math.Min(CnnBench.InferenceBatch, rows - start);
            var logits = model.Network.forward(images.narrow(0, start, n).sub(mean).div(std));
            CnnScoringPasses.ArgMax(logits.data<float>().ToArray(), n, predictions.AsSpan(start, n));
        }

        return rows;
    }

    private static void Lap(Stopwatch watch, double[] phases, int phase)
    {
        phases[phase] += watch.Elapsed.TotalMilliseconds;
        watch.Restart();
    }

    private static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}

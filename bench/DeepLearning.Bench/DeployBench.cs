using System.Diagnostics;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Featurizers;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using TorchSharp.PyBridge;

namespace DeepLearning.Bench;

/// <summary>
/// Mode <c>deploy</c>: what a deployed model costs, for <c>--arch</c> on the 10,000 Fashion-MNIST
/// test images (weights random: speed does not depend on them): latency at batch 1 (median and 95th
/// percentile of 500 single predictions after 50 warm-up ones) and throughput at batch 256 through
/// TorchSharp (PredictionEngine, Transform) and an ONNX Runtime session; the sizes of the model zip
/// and of the ONNX file; and the image featurizer's images/s. Two threads everywhere.
/// </summary>
internal static class DeployBench
{
    private const int Threads = CnnBench.Threads;
    private const int Batch = CnnBench.InferenceBatch;
    private const int Warmup = 50;
    private const int Singles = 500;

    public static int Run(BenchOptions options)
    {
        if (CnnBench.Architecture(options.Architecture, options.Width) is not { } architecture)
        {
            Console.Error.WriteLine($"Unknown --arch '{options.Architecture}'.");
            return 2;
        }

        torch.set_num_threads(Threads);
        var ml = new MLContext(seed: 1);
        var test = IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Test);
        var (pixels, _, rows, _, _) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Test);
        var spec = architecture with { InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10 };
        torch.random.manual_seed(1);
        using var transformer = new NetworkPredictionTransformer(new NetworkModel(
            new VectorInput { ColumnName = "Features", Dimensions = [1, 28, 28] }, spec, spec.Build(), new MulticlassClassificationHead { ClassCount = 10 }));
        var directory = Directory.CreateTempSubdirectory("dl-deploy-bench-").FullName;
        try
        {
            var zip = Path.Combine(directory, "model.zip");
            ml.Model.Save(transformer, test.Schema, zip);
            var onnx = Path.Combine(directory, "model.onnx");
            using (var file = File.Create(onnx))
            {
                transformer.ExportToOnnx(ml, file, "Pixels");
            }

            var weights = Path.Combine(directory, "weights.safetensors");
            Safetensors.SaveStateDict(weights, transformer.Network.state_dict());

            using var engine = ml.Model.CreatePredictionEngine<Row, Scores>(transformer, new PredictionEngineOptions { InputSchemaDefinition = Row.Schema(), OwnsTransformer = false });
            var torchLatency = Latency(engine, pixels);
            var torchThroughput = Throughput(() => Consume(transformer.Transform(test), "Score"), rows);
            using var session = Session(onnx);
            var ortLatency = Latency(session, pixels);
            var ortThroughput = Throughput(() => RunSession(session, pixels, rows), rows);
            var featurizer = ml.Transforms.ImageFeaturizer(new ImageFeaturizerOptions { Architecture = spec, WeightsPath = weights, InputColumnName = "Features" }).Fit(test);
            var featurizerThroughput = Throughput(() => Consume(featurizer.Transform(test), "Features"), rows);
            featurizer.Dispose();

            JsonReport.Line(w =>
            {
                w.WriteString("bench", "deploy");
                w.WriteString("arch", options.Architecture);
                w.WriteNumber("threads", Threads);
                w.WriteNumber("zipBytes", new FileInfo(zip).Length);
                w.WriteNumber("onnxBytes", new FileInfo(onnx).Length);
                w.WriteNumber("torchSharpBatch1MedianMs", Math.Round(torchLatency.Median, 3));
                w.WriteNumber("torchSharpBatch1P95Ms", Math.Round(torchLatency.P95, 3));
                w.WriteNumber("onnxRuntimeBatch1MedianMs", Math.Round(ortLatency.Median, 3));
                w.WriteNumber("onnxRuntimeBatch1P95Ms", Math.Round(ortLatency.P95, 3));
                w.WriteNumber("torchSharpBatch256ImagesPerSecond", Math.Round(torchThroughput, 1));
                w.WriteNumber("onnxRuntimeBatch256ImagesPerSecond", Math.Round(ortThroughput, 1));
                w.WriteNumber("featurizerImagesPerSecond", Math.Round(featurizerThroughput, 1));
            });
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Median and 95th percentile, in ms, of single predictions by a PredictionEngine or a session.</summary>
    private static (double Median, double P95) Latency(object predictor, float[] pixels)
    {
        var times = new List<double>(Singles);
        for (var i = 0; i < Warmup + Singles; i++)
        {
            var image = pixels.AsMemory((i % 1000) * 784, 784);
            var watch = Stopwatch.StartNew();
            switch (predictor)
            {
                case PredictionEngine<Row, Scores> engine:
                    engine.Predict(new Row { Features = image.ToArray() });
                    break;
                case InferenceSession session:
                    RunSession(session, image.ToArray(), 1);
                    break;
            }

            if (i >= Warmup)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)]);
    }

    /// <summary>Images per second of <paramref name="pass"/>: the best of 3 passes after a warm-up pass.</summary>
    private static double Throughput(Func<int> pass, int rows)
    {
        pass();
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return rows / best;
    }

    private static int Consume(IDataView scored, string column)
    {
        var col = scored.Schema[column];
        using var cursor = scored.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var value = default(VBuffer<float>);
        var n = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            n++;
        }

        return n;
    }

    private static InferenceSession Session(string path)
    {
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new InferenceSession(path, sessionOptions);
    }

    /// <summary>Scores <paramref name="rows"/> images in batches of 256.</summary>
    private static int RunSession(InferenceSession session, float[] pixels, int rows)
    {
        var output = session.OutputMetadata.Keys.First(k => k.StartsWith("Score", StringComparison.Ordinal));
        for (var start = 0; start < rows; start += Batch)
        {
            var n = Math.Min(Batch, rows - start);
            var tensor = new DenseTensor<float>(pixels.AsMemory(start * 784, n * 784), [n, 1, 28, 28]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Pixels", tensor)], [output]);
        }

        return rows;
    }

    /// <summary>A prediction engine's input: one image as a vector of 784 with image dimensions.</summary>
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public static SchemaDefinition Schema()
        {
            var schema = SchemaDefinition.Create(typeof(Row));
            schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28);
            return schema;
        }
    }

    /// <summary>A prediction engine's output.</summary>
    private sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }
}

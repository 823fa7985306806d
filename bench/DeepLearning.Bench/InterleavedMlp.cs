using System.Diagnostics;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Models;
using Microsoft.ML;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// The MLP protocol of <see cref="RawTorchSharpMlp"/> and <see cref="PipelineMlp"/> (and, when
/// python3-torch is installed, bench/pytorch/mlp.py through <see cref="PyTorchPeer"/>) interleaved
/// epoch by epoch: after each epoch of the ML.NET pipeline (reported through
/// <see cref="TrainingOptions.Progress"/>) one epoch of the raw TorchSharp loop runs, then one of
/// PyTorch, so a noisy machine slows them alike. Prints each pair and the median of the per-epoch ratios
/// (pipeline / raw) over epochs 2..N. The raw loop draws its permutations from its own generator;
/// its dropout shares torch's global generator with the pipeline, which changes the pipeline's
/// dropout masks but not its cost (accuracy comes from the separate modes).
/// </summary>
internal static class InterleavedMlp
{
    private const int BatchSize = 128;

    public static int Run(BenchOptions options)
    {
        var ml = new MLContext(seed: 1);
        var (trainView, _, source) = BenchData.LoadViews(ml, options);
        var (train, _, _) = BenchData.Load(options);
        using var raw = new RawLoop(train);
        var peer = PyTorchPeer.TryStart(options.Epochs, options.DataDirectory);
        var pairs = new List<(double Pipeline, double Raw, double? PyTorch)>();
        var trainer = ml.MulticlassClassification.Trainers.DeepNeuralNetwork(new DeepNeuralNetworkTrainer.Options
        {
            HiddenLayers = [256, 128],
            Dropout = [0.2],
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3,
            BatchSize = BatchSize,
            Epochs = options.Epochs,
            NumberOfThreads = 2,
            Seed = 1,
            Progress = new Interleave(metrics =>
            {
                var rawSeconds = raw.Epoch(metrics.Epoch);
                var torchSeconds = peer?.Epoch();
                pairs.Add((metrics.Duration.TotalSeconds, rawSeconds, torchSeconds));
                JsonReport.Line(w =>
                {
                    w.WriteString("bench", "interleaved-mlp");
                    w.WriteNumber("epoch", metrics.Epoch);
                    w.WriteNumber("pipelineSeconds", Math.Round(metrics.Duration.TotalSeconds, 3));
                    w.WriteNumber("rawSeconds", Math.Round(rawSeconds, 3));
                    w.WriteNumber("ratio", Math.Round(metrics.Duration.TotalSeconds / rawSeconds, 3));
                    if (torchSeconds is { } t)
                    {
                        w.WriteNumber("pytorchSeconds", Math.Round(t, 3));
                        w.WriteNumber("ratioToPyTorch", Math.Round(metrics.Duration.TotalSeconds / t, 3));
                    }
                });
            }),
        });
        using var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(trainView).LastTransformer;
        peer?.Dispose();
        var steady = pairs.Skip(1).ToList();
        var ratios = steady.Select(p => p.Pipeline / p.Raw).Order().ToList();
        var torchRatios = steady.Where(p => p.PyTorch is not null).Select(p => p.Pipeline / p.PyTorch!.Value).Order().ToList();
        JsonReport.Line(w =>
        {
            w.WriteString("bench", "interleaved-mlp");
            w.WriteString("summary", "epochs 2..N");
            w.WriteString("data", source);
            w.WriteNumber("epochs", pairs.Count);
            w.WriteNumber("meanPipelineSeconds", Math.Round(steady.Average(p => p.Pipeline), 3));
            w.WriteNumber("meanRawSeconds", Math.Round(steady.Average(p => p.Raw), 3));
            w.WriteNumber("medianRatio", Math.Round(ratios[ratios.Count / 2], 3));
            w.WriteNumber("ratioOfMeans", Math.Round(steady.Average(p => p.Pipeline) / steady.Average(p => p.Raw), 3));
            if (torchRatios.Count > 0)
            {
                w.WriteString("pytorch", peer!.Version);
                w.WriteNumber("meanPyTorchSeconds", Math.Round(steady.Average(p => p.PyTorch!.Value), 3));
                w.WriteNumber("medianRatioToPyTorch", Math.Round(torchRatios[torchRatios.Count / 2], 3));
                w.WriteNumber("ratioOfMeansToPyTorch", Math.Round(steady.Average(p => p.Pipeline) / steady.Average(p => p.PyTorch!.Value), 3));
            }
        });
        return 0;
    }

    private sealed class Interleave(Action<EpochMetrics> report) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => report(value);
    }

    /// <summary>The raw loop of <see cref="RawTorchSharpMlp"/>, one epoch at a time.</summary>
    private sealed class RawLoop : IDisposable
    {
        private readonly Tensor _x;
        private readonly Tensor _y;
        private readonly nn.Module<Tensor, Tensor> _model;
        private readonly OptimizerHelper _optimizer;
        private readonly Generator _generator = new(1);
        private readonly long _rows;

        public RawLoop(ImageArrays train)
        {
            _rows = train.Rows;
            _x = torch.tensor(train.Pixels, [train.Rows, train.Size]);
            _y = torch.tensor(train.Labels.Select(l => (long)l).ToArray(), [train.Rows]);
            _model = nn.Sequential(
                ("fc1", nn.Linear(train.Size, 256)), ("relu1", nn.ReLU()), ("drop1", nn.Dropout(0.2)),
                ("fc2", nn.Linear(256, 128)), ("relu2", nn.ReLU()), ("drop2", nn.Dropout(0.2)),
                ("fc3", nn.Linear(128, 10)));
            _optimizer = torch.optim.Adam(_model.parameters(), lr: 1e-3);
        }

        public double Epoch(int epoch)
        {
            var watch = Stopwatch.StartNew();
            _model.train();
            using var permutation = torch.randperm(_rows, generator: _generator);
            for (long start = 0; start < _rows; start += BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var index = permutation.narrow(0, start, Math.Min(BatchSize, _rows - start));
                _optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(_model.forward(_x.index_select(0, index)), _y.index_select(0, index));
                loss.backward();
                _optimizer.step();
                _ = loss.item<float>();
            }

            return watch.Elapsed.TotalSeconds;
        }

        public void Dispose()
        {
            _optimizer.Dispose();
            _model.Dispose();
            _generator.Dispose();
            _x.Dispose();
            _y.Dispose();
        }
    }
}

using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

internal sealed class TestOptions : TrainingOptions
{
    public TestOptions()
    {
        Epochs = 5;
        BatchSize = 32;
        NumberOfThreads = 1;
    }
}

/// <summary>Cross-entropy loss over class logits, accuracy as metric.</summary>
internal sealed class CrossEntropyObjective : ILossTask
{
    public string MetricName => "accuracy";

    public bool HigherIsBetter => true;

    public Tensor Loss(Tensor output, Tensor labels) => nn.functional.cross_entropy(output, labels);

    public MetricAccumulator CreateMetric() => new Accuracy();

    private sealed class Accuracy : MetricAccumulator
    {
        private long _correct;
        private long _rows;

        public override void Update(Tensor output, Tensor target)
        {
            using var scope = NewDisposeScope();
            _correct += output.argmax(1).eq(target).sum().item<long>();
            _rows += output.shape[0];
        }

        public override double Compute() => (double)_correct / _rows;
    }
}

/// <summary>A synchronous progress sink (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class RecordingProgress(Action<EpochMetrics>? onReport = null) : IProgress<EpochMetrics>
{
    public List<EpochMetrics> Reports { get; } = [];

    public void Report(EpochMetrics value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}

internal static class TrainingData
{
    public const int Inputs = 4;
    public const int Classes = 3;

    private static readonly float[] s_teacher = [1.5f, -1f, 0.5f, -0.5f, 2f, -1f, 1f, 0.5f, -2f, -1f, -0.5f, 1f];

    /// <summary>A learnable 3-class problem: labels are the argmax of a fixed linear map of Gaussian features.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="seed">Seed of the features.</param>
    /// <param name="labelShift">Added to the labels modulo the class count: 0 for the true labels, 1 for wrong ones.</param>
    public static CachedBatchSource Make(int rows, ulong seed, int labelShift = 0)
    {
        var (x, y) = MakeTensors(rows, seed, labelShift);
        return CachedBatchSource.FromTensors(x, y);
    }

    /// <summary>The features and labels of <see cref="Make"/>, detached from any dispose scope.</summary>
    public static (Tensor X, Tensor Y) MakeTensors(int rows, ulong seed, int labelShift = 0)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var x = randn([rows, Inputs], generator: generator);
        var w = tensor(s_teacher, [Inputs, Classes]);
        var y = x.matmul(w).argmax(1).add(labelShift).remainder(Classes);
        return (x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }

    public static nn.Module<Tensor, Tensor> Network(double dropout = 0)
    {
        return dropout > 0
            ? nn.Sequential(nn.Linear(Inputs, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, Classes))
            : nn.Sequential(nn.Linear(Inputs, 16), nn.ReLU(), nn.Linear(16, Classes));
    }

    /// <summary>Seeds torch's generator and sets its threads as a trainer does (tests run one at a time), then builds the network.</summary>
    public static nn.Module<Tensor, Tensor> PreparedNetwork(TrainingOptions options, double dropout = 0)
    {
        SeedTorch(options);
        return Network(dropout);
    }

    /// <summary>Seeds torch's generator and sets its threads from the options, as a trainer does before building its network.</summary>
    public static void SeedTorch(TrainingOptions options)
    {
        if (options.NumberOfThreads is { } threads)
        {
            set_num_threads(threads);
        }

        random.manual_seed(options.Seed).Dispose();
    }

    public static double WeightNormSquared(nn.Module<Tensor, Tensor> network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double sum = 0;
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                sum += parameter.square().sum().item<float>();
            }
        }

        return sum;
    }

    /// <summary>Whether two tensors have the same shape, type and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    public static Tensor[] CloneParameters(nn.Module<Tensor, Tensor> network)
    {
        using var noGrad = no_grad();
        return network.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    public static double Evaluate(nn.Module<Tensor, Tensor> network, ILossTask objective, CachedBatchSource data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.eval();
        return objective.Loss(network.call(data.Inputs), data.Targets).item<float>();
    }
}

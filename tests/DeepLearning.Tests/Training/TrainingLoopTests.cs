using System.Diagnostics;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

public class TrainingLoopTests
{
    private static readonly CrossEntropyObjective s_objective = new();

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.1)]
    [InlineData(OptimizerKind.Momentum, 0.05)]
    [InlineData(OptimizerKind.Nesterov, 0.05)]
    [InlineData(OptimizerKind.RmsProp, 0.01)]
    [InlineData(OptimizerKind.Adam, 0.01)]
    [InlineData(OptimizerKind.AdamW, 0.01)]
    public void EveryOptimizerLearns(OptimizerKind optimizer, double learningRate)
    {
        using var data = TrainingData.Make(512, 1);
        var options = new TestOptions { Optimizer = optimizer, LearningRate = learningRate, Epochs = 5, L2Regularization = 1e-4 };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options).Run(network, s_objective, data);

        Assert.Equal(5, history.Count);
        Assert.Equal(5, history.BestEpoch);
        Assert.False(history.StoppedEarly);
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss, $"loss {history[0].TrainingLoss} -> {history[^1].TrainingLoss}");
        Assert.True(history[^1].TrainingMetric > 0.6, $"accuracy {history[^1].TrainingMetric}");
        Assert.All(history, e => Assert.Null(e.ValidationLoss));
    }

    [Fact]
    public void StrongL2GivesSmallerWeights()
    {
        using var data = TrainingData.Make(256, 2);
        double Train(double l2)
        {
            var options = new TestOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Epochs = 8, L2Regularization = l2 };
            using var network = TrainingData.PreparedNetwork(options);
            new TrainingLoop(options).Run(network, s_objective, data);
            return TrainingData.WeightNormSquared(network);
        }

        var plain = Train(0);
        var regularised = Train(0.1);
        Assert.True(regularised < plain * 0.7, $"‖w‖² {regularised} with L2 vs {plain} without");
    }

    [Fact]
    public void AdamWDecaysWeightsToo()
    {
        using var data = TrainingData.Make(256, 2);
        double Train(double l2)
        {
            var options = new TestOptions { Optimizer = OptimizerKind.AdamW, LearningRate = 0.01, Epochs = 5, L2Regularization = l2 };
            using var network = TrainingData.PreparedNetwork(options);
            new TrainingLoop(options).Run(network, s_objective, data);
            return TrainingData.WeightNormSquared(network);
        }

        Assert.True(Train(1.0) < Train(0));
    }

    [Fact]
    public void GradientClippingBoundsEachSgdStep()
    {
        using var data = TrainingData.Make(128, 3);
        const double learningRate = 0.5;
        const double clip = 1e-3;
        var options = new TestOptions { Optimizer = OptimizerKind.Sgd, LearningRate = learningRate, Epochs = 3, BatchSize = 32, GradientClipNorm = clip };
        using var network = TrainingData.PreparedNetwork(options);
        var before = TrainingData.CloneParameters(network);
        var history = new TrainingLoop(options).Run(network, s_objective, data);
        var after = TrainingData.CloneParameters(network);

        double changeSquared = 0;
        for (var i = 0; i < before.Length; i++)
        {
            using var difference = after[i] - before[i];
            using var squared = difference.square().sum();
            changeSquared += squared.item<float>();
        }

        var steps = 3 * (128 / 32);
        var change = Math.Sqrt(changeSquared);
        Assert.True(change > 0, "parameters did not change");
        Assert.True(change <= steps * learningRate * clip * 1.001, $"parameters moved {change} in {steps} steps of at most {learningRate * clip}");
        Assert.Equal(3, history.Count);
        Assert.All(history, e => Assert.True(double.IsFinite(e.TrainingLoss)));
        foreach (var tensor in before.Concat(after))
        {
            tensor.Dispose();
        }
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        using var train = TrainingData.Make(256, 4);
        using var validation = TrainingData.Make(128, 5, labelShift: 1); // wrong labels: validation loss grows as the network learns
        var options = new TestOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.02, Epochs = 20, EarlyStoppingPatience = 2 };
        using var network = TrainingData.PreparedNetwork(options);
        var lines = new List<string>();
        var history = new TrainingLoop(options, lines.Add).Run(network, s_objective, train, validation);

        Assert.True(history.StoppedEarly);
        Assert.True(history.Count < 20);
        Assert.True(history.BestEpoch < history.Count, $"best {history.BestEpoch} of {history.Count}");
        Assert.Equal(history.BestEpoch + 2, history.Count);
        var best = history[history.BestEpoch - 1].ValidationLoss!.Value;
        Assert.Equal(history.Where(e => e.ValidationLoss.HasValue).Min(e => e.ValidationLoss!.Value), best);
        Assert.Equal(best, TrainingData.Evaluate(network, s_objective, validation), 1e-5);
        Assert.Contains(lines, l => l.Contains("Early stopping", StringComparison.Ordinal));
    }

    [Fact]
    public void EarlyStoppingOnTheMetricKeepsTheMostAccurateEpoch()
    {
        using var train = TrainingData.Make(256, 4);
        using var validation = TrainingData.Make(128, 5, labelShift: 1);
        var options = new TestOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.02, Epochs = 20, EarlyStoppingPatience = 2, EarlyStoppingMonitor = EarlyStoppingMonitor.ValidationMetric };
        using var network = TrainingData.PreparedNetwork(options);
        var lines = new List<string>();
        var history = new TrainingLoop(options, lines.Add).Run(network, s_objective, train, validation);

        // Wrong validation labels: accuracy peaks early, so patience 2 must stop well before 20 epochs.
        var accuracies = history.Select(e => e.ValidationMetric!.Value).ToList();
        Assert.True(history.StoppedEarly, $"ran {history.Count} epochs");
        Assert.Equal(history.BestEpoch + 2, history.Count);
        Assert.Equal(accuracies.IndexOf(accuracies.Max()) + 1, history.BestEpoch);
        Assert.Equal(history[history.BestEpoch - 1].ValidationLoss!.Value, TrainingData.Evaluate(network, s_objective, validation), 1e-5);

        // The log shows the best accuracy with its real sign (it is negated internally).
        var best = accuracies.Max().ToString("G5", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(lines, l => l.Contains("validation accuracy has not improved", StringComparison.Ordinal) && l.Contains($"validation accuracy {best})", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutEarlyStoppingTheLastEpochIsKept()
    {
        using var train = TrainingData.Make(256, 4);
        using var validation = TrainingData.Make(128, 5, labelShift: 1);
        var options = new TestOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.02, Epochs = 4 };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options).Run(network, s_objective, train, validation);

        Assert.False(history.StoppedEarly);
        Assert.Equal(4, history.BestEpoch);
        Assert.Equal(history[^1].ValidationLoss!.Value, TrainingData.Evaluate(network, s_objective, validation), 1e-5);
    }

    [Fact]
    public void NanFeatureStopsWithAnExplanation()
    {
        using var data = TrainingData.Make(128, 6);
        data.Inputs[7, 2] = float.NaN;
        var options = new TestOptions { Optimizer = OptimizerKind.Adam, Epochs = 2 };
        using var network = TrainingData.PreparedNetwork(options);
        var exception = Assert.Throws<InvalidOperationException>(() => new TrainingLoop(options).Run(network, s_objective, data));
        Assert.Contains("NaN", exception.Message);
        Assert.Contains("LearningRate", exception.Message);
        Assert.Contains("epoch 1", exception.Message);
    }

    [Fact]
    public void HugeLearningRateStopsWithAnExplanation()
    {
        using var data = TrainingData.Make(256, 7);
        var options = new TestOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 1e10, Epochs = 20 };
        using var network = TrainingData.PreparedNetwork(options);
        var exception = Assert.Throws<InvalidOperationException>(() => new TrainingLoop(options).Run(network, s_objective, data));
        Assert.True(exception.Message.Contains("NaN", StringComparison.Ordinal) || exception.Message.Contains("infinite", StringComparison.Ordinal), exception.Message);
        Assert.Contains("LearningRate", exception.Message);
        Assert.Contains("GradientClipNorm", exception.Message);
    }

    [Fact]
    public void CancellingFromProgressStopsBeforeTheNextEpoch()
    {
        using var data = TrainingData.Make(128, 8);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(e =>
        {
            if (e.Epoch == 1)
            {
                cancellation.Cancel();
            }
        });
        var options = new TestOptions { Epochs = 5, Progress = progress, CancellationToken = cancellation.Token };
        using var network = TrainingData.PreparedNetwork(options);
        Assert.ThrowsAny<OperationCanceledException>(() => new TrainingLoop(options).Run(network, s_objective, data));
        Assert.Single(progress.Reports);
    }

    [Fact]
    public void EqualSeedsGiveBitIdenticalParametersAndDifferentSeedsDoNot()
    {
        using var data = TrainingData.Make(256, 9);
        Tensor[] Train(int seed)
        {
            var options = new TestOptions { Seed = seed, Epochs = 3, ValidationFraction = 0.25 };
            using var network = TrainingData.PreparedNetwork(options, dropout: 0.2);
            new TrainingLoop(options).Run(network, s_objective, data);
            return TrainingData.CloneParameters(network);
        }

        var first = Train(42);
        var second = Train(42);
        var other = Train(43);
        try
        {
            Assert.Equal(first.Length, second.Length);
            for (var i = 0; i < first.Length; i++)
            {
                Assert.True(Same(first[i], second[i]), $"parameter {i} differs between equal seeds");
            }

            Assert.Contains(Enumerable.Range(0, first.Length), i => !Same(first[i], other[i]));
        }
        finally
        {
            foreach (var tensor in first.Concat(second).Concat(other))
            {
                tensor.Dispose();
            }
        }
    }

    [Fact]
    public void ValidationFractionSplitsOffAValidationSet()
    {
        using var data = TrainingData.Make(200, 10);
        var options = new TestOptions { Epochs = 3, ValidationFraction = 0.2, EarlyStoppingPatience = 5 };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options).Run(network, s_objective, data);

        Assert.Equal(3, history.Count);
        Assert.All(history, e =>
        {
            Assert.NotNull(e.ValidationLoss);
            Assert.NotNull(e.ValidationMetric);
            Assert.InRange(e.ValidationMetric!.Value, 0, 1);
        });
        Assert.Equal(200, data.Count); // the caller's data set is left alone
        Assert.False(data.Inputs.IsInvalid);
    }

    [Fact]
    public void EarlyStoppingWithoutValidationThrowsNamingTheOptions()
    {
        using var data = TrainingData.Make(64, 11);
        var options = new TestOptions { EarlyStoppingPatience = 2 };
        using var network = TrainingData.PreparedNetwork(options);
        var exception = Assert.Throws<InvalidOperationException>(() => new TrainingLoop(options).Run(network, s_objective, data));
        Assert.Contains("EarlyStoppingPatience", exception.Message);
        Assert.Contains("ValidationFraction", exception.Message);
    }

    [Fact]
    public void ProgressAndLogReceiveOneEntryPerEpoch()
    {
        using var data = TrainingData.Make(100, 12);
        var progress = new RecordingProgress();
        var lines = new List<string>();
        var options = new TestOptions { Epochs = 4, BatchSize = 30, Progress = progress, Shuffle = false };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options, lines.Add).Run(network, s_objective, data);

        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(e => e.Epoch));
        Assert.Equal(history, progress.Reports);
        Assert.All(progress.Reports, e => Assert.True(e.Duration > TimeSpan.Zero));
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("Epoch 1/4: loss ", lines[0], StringComparison.Ordinal);
        Assert.Contains("accuracy", lines[0]);
        Assert.Contains("lr 0.001", lines[0]);
    }

    [Fact]
    public void NativeMemoryStaysFlat()
    {
        using var train = TrainingData.Make(512, 13);
        using var validation = TrainingData.Make(128, 14);
        var objective = new CrossEntropyObjective();
        TrainingHistory Train(int epochs, nn.Module<Tensor, Tensor> network)
        {
            var options = new TestOptions
            {
                Epochs = epochs,
                BatchSize = 16,
                EarlyStoppingPatience = 100,
                GradientClipNorm = 1,
                LearningRateSchedule = new CosineAnnealingSchedule(),
            };
            return new TrainingLoop(options).Run(network, objective, train, validation);
        }

        using var network = TrainingData.PreparedNetwork(new TestOptions());
        Train(2, network);
        var before = ResidentBytes();
        var history = Train(20, network);
        var after = ResidentBytes();

        Assert.Equal(20, history.Count);
        Assert.True(after - before < 30L << 20, $"resident memory grew by {(after - before) >> 20} MB over 20 epochs");
    }

    [Theory]
    [InlineData("cached")]
    [InlineData("cached-split")]
    [InlineData("streaming-split")]
    [InlineData("streaming-buffer")]
    public void EveryTemporaryTensorIsDisposed(string source)
    {
        var view = ExampleViews.View(300, 15);
        using var train = source switch
        {
            "cached" => TrainingData.Make(300, 15),
            "cached-split" => TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out _)!,
            "streaming-split" => new StreamingBatchSource(ExampleViews.Layout(view), CPU),
            _ => (IBatchSource)new StreamingBatchSource(ExampleViews.Layout(new OpaqueDataView(view)), CPU, shuffleBufferRows: 50),
        };
        using var validation = source == "cached" ? TrainingData.Make(100, 16) : null;
        using var network = nn.Sequential(("fc1", nn.Linear(TrainingData.Inputs, 16)), ("bn", nn.BatchNorm1d(16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, TrainingData.Classes)));
        var directory = Path.Combine(Path.GetTempPath(), "dl-leak-" + Guid.NewGuid().ToString("N"));
        var hooks = new TrainingHooks
        {
            ParameterGroups = [new ParameterGroup("fc1.", 0.5)],
            Freezes = [new FreezeSpec("bn", 2)],
            Callbacks = [new Hooks.RecordingCallback()],
        };
        long LiveTensorsAfter(int epochs, bool shuffle)
        {
            var options = new TestOptions
            {
                Epochs = epochs,
                Shuffle = shuffle,
                Optimizer = OptimizerKind.Momentum,
                EarlyStoppingPatience = 100,
                ValidationFraction = validation is null ? 0.25 : 0,
                GradientClipNorm = 1,
                LearningRateSchedule = new OneCycleSchedule(0.01),
                CheckpointDirectory = directory,
            };
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new TrainingLoop(options).Run(network, s_objective, train, validation, hooks);
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }

        try
        {
            LiveTensorsAfter(1, shuffle: true); // warm-up: lazily created parameter wrappers
            Assert.Equal(0, LiveTensorsAfter(1, shuffle: true));
            Assert.Equal(0, LiveTensorsAfter(4, shuffle: true));
            Assert.Equal(0, LiveTensorsAfter(4, shuffle: false));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}

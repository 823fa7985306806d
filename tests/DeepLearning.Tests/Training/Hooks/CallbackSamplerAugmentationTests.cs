using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Hooks;

public class CallbackSamplerAugmentationTests
{
    [Fact]
    public void CallbacksSeeEveryBoundaryInOrderAndCanStopAfterAnEpoch()
    {
        using var data = TrainingData.Make(70, 1);
        var options = new TestOptions { Epochs = 5, BatchSize = 32 };
        using var network = TrainingData.PreparedNetwork(options);
        var losses = new List<double>();
        var callback = new RecordingCallback
        {
            BatchEnd = c => losses.Add(c.BatchLoss),
            EpochEnd = (c, m) =>
            {
                Assert.Equal(c.Epoch, m.Epoch);
                if (c.Epoch == 2)
                {
                    c.RequestStop();
                }
            },
        };
        var lines = new List<string>();
        var history = new TrainingLoop(options, lines.Add).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { Callbacks = [callback] });

        Assert.Equal(["start 1", "batch 1.1", "batch 1.2", "batch 1.3", "end 1", "start 2", "batch 2.1", "batch 2.2", "batch 2.3", "end 2"], callback.Events);
        Assert.Equal(2, history.Count);
        Assert.False(history.StoppedEarly);
        Assert.Equal(2, history.BestEpoch);
        Assert.Contains("Stopped after epoch 2 of 5: a callback requested it.", lines);
        Assert.Equal(history[0].TrainingLoss, ((losses[0] * 32) + (losses[1] * 32) + (losses[2] * 6)) / 70, 12);
    }

    [Fact]
    public void ASamplerChoosesTheRowsOfEachEpoch()
    {
        using var data = TrainingData.Make(100, 2);
        var options = new TestOptions { Epochs = 3, BatchSize = 4 };
        using var network = TrainingData.PreparedNetwork(options);
        var sampler = new FirstRowsSampler(10);
        var callback = new RecordingCallback();
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { Sampler = sampler, Callbacks = [callback] });

        Assert.Equal([1, 2, 3], sampler.Epochs);
        Assert.All(sampler.Contexts, c => Assert.Equal(100, c.RowCount));
        Assert.All(sampler.Contexts, c => Assert.Same(data, c.Source));
        Assert.Equal(3 * 3, callback.Events.Count(e => e.StartsWith("batch", StringComparison.Ordinal)));
    }

    [Fact]
    public void ASamplerNeedsARandomAccessSource()
    {
        using var source = new StreamingBatchSource(ExampleViews.Layout(ExampleViews.View(20, 3)), CPU);
        var options = new TestOptions { Epochs = 1 };
        using var network = TrainingData.PreparedNetwork(options);
        Assert.Throws<NotSupportedException>(() => new TrainingLoop(options).Run(network, new CrossEntropyObjective(), source, hooks: new TrainingHooks { Sampler = new FirstRowsSampler(5) }));
    }

    [Fact]
    public void AugmentationChangesTrainingBatchesOnly()
    {
        using var train = TrainingData.Make(96, 4);
        using var validation = TrainingData.Make(50, 5);
        var options = new TestOptions { Epochs = 3, LearningRate = 0.05 };
        using var network = TrainingData.PreparedNetwork(options);
        var augmentation = new ZeroInputs();
        var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), train, validation, new TrainingHooks { Augmentation = augmentation });

        Assert.Equal(3 * 96, augmentation.Rows);
        Assert.Equal([1, 2, 3], augmentation.Epochs.Distinct());

        // Validation saw the real inputs: its loss is the network's loss on them, not on zeros.
        Assert.Equal(history[^1].ValidationLoss!.Value, TrainingData.Evaluate(network, new CrossEntropyObjective(), validation), 1e-5);
        using var zeros = zeros_like(validation.Inputs);
        using var noGrad = no_grad();
        using var onZeros = new CrossEntropyObjective().Loss(network.call(zeros), validation.Targets);
        Assert.NotEqual(onZeros.item<float>(), history[^1].ValidationLoss!.Value, 3);
    }

    private sealed class FirstRowsSampler(int rows) : IBatchSampler
    {
        public List<SamplingContext> Contexts { get; } = [];

        public List<int> Epochs { get; } = [];

        public Tensor? EpochOrder(SamplingContext context)
        {
            Contexts.Add(context);
            Epochs.Add(context.Epoch);
            return arange(rows - 1, -1, -1, ScalarType.Int64);
        }
    }

    private sealed class ZeroInputs : IBatchAugmentation
    {
        public long Rows { get; private set; }

        public List<int> Epochs { get; } = [];

        public Batch Apply(Batch batch, int epoch, int batchNumber)
        {
            Rows += batch.Rows;
            Epochs.Add(epoch);
            return batch with { Input = zeros_like(batch.Input) };
        }
    }
}

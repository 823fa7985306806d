using System.Text.Json.Nodes;
using DeepLearning.Tests.Training;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

public class AugmentationPipelineTests
{
    private static AugmentationPipeline Everything(int seed) => new(
        [
            new Flip(),
            new RandomCrop { Padding = 2, Probability = 0.5 },
            new RandomAffine { MaxRotationDegrees = 15, MaxTranslation = 0.1, MinScale = 0.9, MaxScale = 1.1, Probability = 0.5 },
            new RandomResizedCrop { MinArea = 0.5, Probability = 0.5 },
            new RandomErasing { Value = -1 },
            new ColorJitter { Brightness = 0.2, Contrast = 0.2, Saturation = 0.2 },
        ],
        seed);

    [Fact]
    public void TheSameSeedEpochAndBatchGiveTheSameBatch()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(16, 3, 8, 8);
        var first = Everything(5).Apply(input, 2, 3);
        Assert.True(first.Same(Everything(5).Apply(input, 2, 3)));
        Assert.False(first.Same(Everything(6).Apply(input, 2, 3)));
        Assert.False(first.Same(Everything(5).Apply(input, 3, 3)));
        Assert.False(first.Same(Everything(5).Apply(input, 2, 4)));
    }

    [Fact]
    public void AnEmptyPipelineIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(4, 3, 8, 8);
        Assert.True(new AugmentationPipeline([]).Apply(input, 1, 1).Same(input));
    }

    [Fact]
    public void JsonRoundTripKeepsStepsAndSeed()
    {
        var pipeline = Everything(42);
        var json = pipeline.ToJson().ToJsonString();
        var read = AugmentationPipeline.FromJson(JsonNode.Parse(json));
        Assert.Equal(42, read.Seed);
        Assert.Equal(pipeline.Steps, read.Steps);
        Assert.Equal(json, read.ToJson().ToJsonString());
        Assert.Contains("\"type\":\"random-erasing\"", json, StringComparison.Ordinal);

        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 8, 8);
        Assert.True(pipeline.Apply(input, 1, 1).Same(read.Apply(input, 1, 1)));
    }

    [Fact]
    public void UnknownStepsAreNamed()
    {
        var error = Assert.Throws<FormatException>(() => AugmentationPipeline.FromJson(JsonNode.Parse("""{"steps":[{"type":"warp"}]}""")));
        Assert.Contains("warp", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AugmentationPipeline.FromJson(JsonNode.Parse("[]")));
    }

    public static TheoryData<AugmentationStep, string> InvalidSteps => new()
    {
        { new Flip { Probability = 1.5 }, "Option Flip.Probability = 1.5 is invalid: it must be in [0, 1]." },
        { new Flip { Axis = (FlipAxis)7 }, "Option Flip.Axis = 7 is invalid" },
        { new RandomCrop { Padding = -1 }, "Option RandomCrop.Padding = -1 is invalid" },
        { new RandomAffine { MaxRotationDegrees = 200 }, "Option RandomAffine.MaxRotationDegrees = 200 is invalid" },
        { new RandomAffine { MinScale = 1.2, MaxScale = 1.1 }, "Option RandomAffine.MaxScale = 1.1 is invalid: it must be at least MinScale = 1.2." },
        { new RandomAffine { Fill = double.NaN }, "Option RandomAffine.Fill = NaN is invalid" },
        { new RandomResizedCrop { MinArea = 0 }, "Option RandomResizedCrop.MinArea = 0 is invalid" },
        { new RandomResizedCrop { MaxRatio = 0.5 }, "Option RandomResizedCrop.MaxRatio = 0.5 is invalid" },
        { new RandomErasing { MaxArea = 2 }, "Option RandomErasing.MaxArea = 2 is invalid" },
        { new ColorJitter { Contrast = -0.1 }, "Option ColorJitter.Contrast = -0.1 is invalid" },
    };

    [Theory]
    [MemberData(nameof(InvalidSteps))]
    public void InvalidOptionsAreNamed(AugmentationStep step, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AugmentationPipeline([step]));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputsMustBeFloatingPointImages()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Everything(1).Apply(zeros(4, 8), 1, 1));
        Assert.Throws<ArgumentException>(() => Everything(1).Apply(zeros([2, 3, 4, 4], ScalarType.Int64), 1, 1));
    }

    [Fact]
    public void TheLoopPassesTrainingBatchesOnlyWithTheirNumbers()
    {
        using var train = TrainingData.Make(70, 4);
        using var validation = TrainingData.Make(50, 5);
        var options = new TestOptions { Epochs = 2, BatchSize = 32 };
        using var network = TrainingData.PreparedNetwork(options);
        var recorder = new Recorder(train.Inputs);
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), train, validation, new TrainingHooks { Augmentation = recorder });

        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)], recorder.Calls);
        Assert.Equal(2 * 70, recorder.Rows);
    }

    [Fact]
    public void TrainingWithAPipelineIsReproducible()
    {
        var same = Train(seed: 3);
        Assert.Equal(same, Train(seed: 3));
        Assert.NotEqual(same, Train(seed: 4));
    }

    /// <summary>The training losses of a small run on images with the full pipeline of <paramref name="seed"/>.</summary>
    private static double[] Train(int seed)
    {
        var (x, y) = TrainingData.MakeTensors(48, 9);
        using var images = Images.Random(48, 3, 4, 4);
        using var source = CachedBatchSource.FromTensors(images.clone().DetachFromDisposeScope(), y);
        x.Dispose();
        var options = new TestOptions { Epochs = 2, BatchSize = 16 };
        TrainingData.SeedTorch(options);
        using var network = nn.Sequential(nn.Flatten(), nn.Linear(48, 3));
        var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), source, hooks: new TrainingHooks { Augmentation = Everything(seed) });
        return [.. history.Select(m => m.TrainingLoss)];
    }

    private sealed class Recorder(Tensor trainingRows) : IBatchAugmentation
    {
        public List<(int Epoch, int Batch)> Calls { get; } = [];

        public long Rows { get; private set; }

        public Batch Apply(Batch batch, int epoch, int batchNumber)
        {
            // Every row passed equals a training row, so no validation row is ever passed.
            Assert.True(batch.Input.unsqueeze(1).eq(trainingRows.unsqueeze(0)).all(2).any(1).all().item<bool>());
            Calls.Add((epoch, batchNumber));
            Rows += batch.Rows;
            return batch;
        }
    }
}

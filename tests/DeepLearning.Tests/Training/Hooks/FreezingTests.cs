using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Hooks;

public class FreezingTests
{
    private static nn.Module<Tensor, Tensor> Network(TrainingOptions options)
    {
        TrainingData.SeedTorch(options);
        return nn.Sequential(
            ("body", nn.Sequential(("fc", nn.Linear(TrainingData.Inputs, 16)), ("bn", nn.BatchNorm1d(16)), ("relu", nn.ReLU()))),
            ("head", nn.Linear(16, TrainingData.Classes)));
    }

    [Theory]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.AdamW)]
    public void FrozenParametersAndBatchNormStatisticsStayBitIdenticalUntilUnfrozen(OptimizerKind optimizer)
    {
        using var data = TrainingData.Make(128, 1);
        var options = new TestOptions { Optimizer = optimizer, LearningRate = 0.05, L2Regularization = 0.1, Epochs = 4 };
        using var network = Network(options);
        using var initial = new StateSnapshot(network);
        var changedBody = new List<IReadOnlyList<string>>();
        var changedHead = new List<IReadOnlyList<string>>();
        var callback = new RecordingCallback
        {
            EpochEnd = (c, _) =>
            {
                using var now = new StateSnapshot(c.Network);
                changedBody.Add(now.Changed(initial, "body."));
                changedHead.Add(now.Changed(initial, "head."));
            },
        };
        var hooks = new TrainingHooks { Freezes = [new FreezeSpec("body", 3)], Callbacks = [callback] };
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: hooks);

        // Epochs 1 and 2: nothing of the body moves, not even by weight decay, momentum or batch statistics.
        Assert.Empty(changedBody[0]);
        Assert.Empty(changedBody[1]);
        Assert.Equal(["head.bias", "head.weight"], changedHead[0].Order());

        // From epoch 3 the body trains and its batch norm tracks statistics again.
        Assert.Equal(
            ["body.bn.bias", "body.bn.num_batches_tracked", "body.bn.running_mean", "body.bn.running_var", "body.bn.weight", "body.fc.bias", "body.fc.weight"],
            changedBody[2].Order());
        Assert.All(network.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void AModuleFrozenForTheWholeRunIsLeftAsItWasAndTrainableAfterwards()
    {
        using var data = TrainingData.Make(64, 2);
        var options = new TestOptions { Epochs = 2 };
        using var network = Network(options);
        using var initial = new StateSnapshot(network);
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { Freezes = [new FreezeSpec("body.bn", 99)] });
        using var after = new StateSnapshot(network);
        Assert.Empty(after.Changed(initial, "body.bn."));
        Assert.NotEmpty(after.Changed(initial, "body.fc."));
        Assert.All(network.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void AnUnknownModuleThrowsListingTheModules()
    {
        using var data = TrainingData.Make(16, 3);
        var options = new TestOptions { Epochs = 1 };
        using var network = Network(options);
        var exception = Assert.Throws<ArgumentException>(() => new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { Freezes = [new FreezeSpec("features", 2)] }));
        Assert.Contains("'features'", exception.Message);
        Assert.Contains("'body', 'head'", exception.Message);
    }
}

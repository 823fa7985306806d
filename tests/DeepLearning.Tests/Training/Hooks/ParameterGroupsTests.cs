using DeepLearning.Trainers.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Hooks;

public class ParameterGroupsTests
{
    private static nn.Module<Tensor, Tensor> Network(TrainingOptions options)
    {
        TrainingData.SeedTorch(options);
        return nn.Sequential(("fc1", nn.Linear(TrainingData.Inputs, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, TrainingData.Classes)));
    }

    [Fact]
    public void MultipliersReachTheOptimizersGroupsAndFollowTheSchedule()
    {
        using var data = TrainingData.Make(64, 1);
        var options = new TestOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Epochs = 3, BatchSize = 32, LearningRateSchedule = new StepDecaySchedule(1, 0.5) };
        using var network = Network(options);
        var seen = new List<(double Scheduled, double[] Groups, string[][] Members)>();
        var callback = new RecordingCallback
        {
            BatchEnd = c => seen.Add((
                c.LearningRate,
                [.. c.Optimizer.ParamGroups.Select(g => g.LearningRate)],
                [.. c.Optimizer.ParamGroups.Cast<ParamGroup>().Select(g => g.Parameters.Select(p => Name(network, p)).Order().ToArray())])),
        };
        var hooks = new TrainingHooks { ParameterGroups = [new ParameterGroup("fc1.", 0.1), new ParameterGroup("fc1.bias", 3)], Callbacks = [callback] };
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: hooks);

        Assert.Equal(6, seen.Count);
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025, 0.025], seen.Select(s => s.Scheduled));
        Assert.All(seen, s =>
        {
            // The rest first, then the groups in order; the longest prefix wins.
            Assert.Equal([["fc2.bias", "fc2.weight"], ["fc1.weight"], ["fc1.bias"]], s.Members);
            Assert.Equal(s.Scheduled, s.Groups[0], 15);
            Assert.Equal(s.Scheduled * 0.1, s.Groups[1], 15);
            Assert.Equal(s.Scheduled * 3, s.Groups[2], 15);
        });
    }

    [Fact]
    public void ASmallMultiplierSlowsItsParameters()
    {
        using var data = TrainingData.Make(128, 2);
        var options = new TestOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Epochs = 2 };
        double Moved(nn.Module<Tensor, Tensor> network, Tensor[] before, string prefix)
        {
            using var scope = NewDisposeScope();
            var after = network.named_parameters().ToList();
            return Enumerable.Range(0, after.Count).Where(i => after[i].name.StartsWith(prefix, StringComparison.Ordinal)).Sum(i => (after[i].parameter - before[i]).abs().max().item<float>());
        }

        double RatioOfFc1ToFc2Movement(double multiplier)
        {
            using var network = Network(options);
            var before = TrainingData.CloneParameters(network);
            new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { ParameterGroups = [new ParameterGroup("fc1.", multiplier)] });
            var ratio = Moved(network, before, "fc1.") / Moved(network, before, "fc2.");
            Array.ForEach(before, t => t.Dispose());
            return ratio;
        }

        Assert.True(RatioOfFc1ToFc2Movement(1e-3) < RatioOfFc1ToFc2Movement(1) * 0.01);
    }

    [Fact]
    public void APrefixThatMatchesNothingThrowsNamingIt()
    {
        using var data = TrainingData.Make(16, 3);
        var options = new TestOptions { Epochs = 1 };
        using var network = Network(options);
        var exception = Assert.Throws<ArgumentException>(() => new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { ParameterGroups = [new ParameterGroup("layers.fc1.", 0.5)] }));
        Assert.Contains("'layers.fc1.'", exception.Message);
        Assert.Contains("'fc1.weight'", exception.Message);
    }

    [Fact]
    public void AnInvalidMultiplierThrowsNamingIt()
    {
        using var data = TrainingData.Make(16, 3);
        var options = new TestOptions { Epochs = 1 };
        using var network = Network(options);
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, hooks: new TrainingHooks { ParameterGroups = [new ParameterGroup("fc1.", 0)] }));
        Assert.Equal(nameof(ParameterGroup.LearningRateMultiplier), exception.ParamName);
    }

    private static string Name(nn.Module network, Parameter parameter) => network.named_parameters().First(p => p.parameter.Handle == parameter.Handle).name;
}

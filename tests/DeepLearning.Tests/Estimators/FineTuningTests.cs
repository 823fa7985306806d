using DeepLearning.Tests.Inputs;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Weights;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Estimators;

/// <summary>
/// Fine-tuning from a 10-class network's weights on a 2-class task: the backbone loads and stays
/// frozen while frozen, the last layer is re-initialised for 2 classes, the backbone's learning rate
/// scales, and bad weight files or architectures are named.
/// </summary>
public sealed class FineTuningTests : TempDirectoryTest
{
    [Fact]
    public void AFrozenBackboneKeepsThePretrainedWeightsWhileTheHeadTrains()
    {
        var (source, path) = Pretrained();
        var network = Fit(new FineTuningOptions { InitialWeights = path, FreezeBackboneEpochs = 5 });

        var trained = network.Network.state_dict();
        var original = source.state_dict();
        foreach (var key in original.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)))
        {
            Assert.True(Same(original[key], trained[key]), $"{key} changed while frozen");
        }

        Assert.Equal([2L, 8], trained["classifier.3.weight"].shape);
        Assert.False(Same(original["classifier.0.weight"], trained["classifier.0.weight"]), "the head's hidden layer did not train");
        Assert.Equal(5, network.History!.Recipe!["freezeBackboneEpochs"]!.GetValue<int>());
    }

    [Fact]
    public void TheBackboneTrainsOnceUnfrozenAndItsLearningRateScales()
    {
        var (source, path) = Pretrained();
        var unfrozen = Fit(new FineTuningOptions { InitialWeights = path, FreezeBackboneEpochs = 1 });
        Assert.False(Same(source.state_dict()["features.0.0.weight"], unfrozen.Network.state_dict()["features.0.0.weight"]));

        var slow = Fit(new FineTuningOptions { InitialWeights = path, BackboneLearningRateMultiplier = 1e-6 });
        var backboneChange = source.state_dict()["features.2.0.weight"].sub(slow.Network.state_dict()["features.2.0.weight"]).abs().max().item<float>();
        var headChange = source.state_dict()["classifier.0.weight"].sub(slow.Network.state_dict()["classifier.0.weight"]).abs().max().item<float>();
        Assert.InRange(backboneChange, 0, 1e-6);
        Assert.True(headChange > 1e-3, $"head change {headChange}");
    }

    [Fact]
    public void StagesUnfreezeFromTheHeadDownAndTheirRatesDecay()
    {
        var (source, path) = Pretrained();
        var network = Fit(new FineTuningOptions { InitialWeights = path, FreezeBackboneEpochs = 1, UnfreezeStageEveryEpochs = 1 }, epochs: 2);
        var trained = network.Network.state_dict();
        Assert.False(Same(source.state_dict()["features.2.0.weight"], trained["features.2.0.weight"]), "features.2, the stage nearest the head, should train from epoch 2");
        Assert.True(Same(source.state_dict()["features.0.0.weight"], trained["features.0.0.weight"]), "features.0 unfreezes at epoch 3 and should still be frozen");

        using var resnet = (ImageClassifier)new ResNetSpec { Variant = ResNetVariant.ResNet20, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 2 }.Build();
        Assert.Equal(["layer3", "layer2", "layer1", "bn1", "conv1"], FineTuning.Stages(resnet));
        var (freezes, groups) = FineTuning.Hooks(resnet, string.Empty, new FineTuningOptions { FreezeBackboneEpochs = 2, UnfreezeStageEveryEpochs = 3, BackboneLearningRateMultiplier = 0.5, StageLearningRateDecay = 0.1 });
        Assert.Equal(3, freezes.Single(f => f.Module == "layer3").UnfreezeAtEpoch);
        Assert.Equal(6, freezes.Single(f => f.Module == "layer2").UnfreezeAtEpoch);
        Assert.Equal(0.5, groups.Single(g => g.Prefix == "layer3.").LearningRateMultiplier, 12);
        Assert.Equal(0.05, groups.Single(g => g.Prefix == "layer2.").LearningRateMultiplier, 12);
    }

    [Fact]
    public void BadWeightsAndArchitecturesAreNamed()
    {
        var missing = Path.Combine(Dir, "missing.pth");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => Fit(new FineTuningOptions { InitialWeights = missing })).Message, StringComparison.Ordinal);

        using var resnet = new ResNetSpec { Variant = ResNetVariant.ResNet20, OutputSize = 2, InputChannels = 1, InputHeight = 28, InputWidth = 28 }.Build();
        var other = Path.Combine(Dir, "resnet.pth");
        PyTorchPickler.PickleStateDict(other, new System.Collections.Hashtable(resnet.state_dict()));
        var e = Assert.Throws<InvalidDataException>(() => Fit(new FineTuningOptions { InitialWeights = other }));
        Assert.Contains("FineTuning.InitialWeights", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);

        var (_, path) = Pretrained();
        var notZoo = Assert.Throws<ArgumentException>(() => Fit(new FineTuningOptions { InitialWeights = path }, new TinyConvSpec()));
        Assert.Equal("FineTuning", notZoo.ParamName);

        var invalid = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(new FineTuningOptions { FreezeBackboneEpochs = -1 }));
        Assert.Equal("FineTuning.FreezeBackboneEpochs", invalid.ParamName);
    }

    /// <summary>A 10-class small CNN with random weights and batch-norm statistics, saved as a PyTorch state dict.</summary>
    private (nn.Module<Tensor, Tensor> Network, string Path) Pretrained()
    {
        random.manual_seed(5);
        var network = Architecture().Build();
        using (no_grad())
        {
            foreach (var (name, buffer) in network.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)))
            {
                buffer.normal_();
            }
        }

        var path = Path.Combine(Dir, $"pretrained-{Guid.NewGuid():N}.pth");
        PyTorchPickler.PickleStateDict(path, new System.Collections.Hashtable(network.state_dict()));
        return (network, path);
    }

    private static SmallCnnSpec Architecture() => new() { WidthMultiplier = 0.0625, OutputSize = 10 };

    private NetworkPredictionTransformer Fit(FineTuningOptions fineTuning, ImageNetworkSpec? architecture = null, int epochs = 2)
    {
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(BarImages.Row));
        schema[nameof(BarImages.Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, BarImages.Size, BarImages.Size);
        var folder = Directory.CreateDirectory(Path.Combine(Dir, $"bars-{Guid.NewGuid():N}")).FullName;
        var data = ml.Data.LoadFromEnumerable(BarImages.Write(folder, 48, seed: 1), schema);
        var options = new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = "Pixels",
            Architecture = architecture ?? Architecture(),
            FineTuning = fineTuning,
            Epochs = epochs,
            BatchSize = 16,
            LearningRate = 3e-3,
            NumberOfThreads = 1,
        };
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options)).Fit(data);
        return ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}

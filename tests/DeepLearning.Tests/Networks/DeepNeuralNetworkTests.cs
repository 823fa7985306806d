using DeepLearning.Transforms.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks;

public class DeepNeuralNetworkTests
{
    [Fact]
    public void StateDictKeysAreAsDocumented()
    {
        var spec = new DeepNeuralNetworkSpec { InputSize = 4, HiddenLayers = [5, 3], OutputSize = 2, BatchNormalization = true, Dropout = [0.1] };
        using var network = new DeepNeuralNetwork(spec);
        var keys = network.state_dict().Keys.ToHashSet();

        string[] expected =
        [
            "layers.fc1.weight", "layers.fc1.bias",
            "layers.bn1.weight", "layers.bn1.bias", "layers.bn1.running_mean", "layers.bn1.running_var",
            "layers.fc2.weight", "layers.fc2.bias",
            "layers.bn2.weight", "layers.bn2.bias", "layers.bn2.running_mean", "layers.bn2.running_var",
            "layers.out.weight", "layers.out.bias",
        ];
        Assert.Subset(keys, expected.ToHashSet());
        // Only batch-norm bookkeeping (num_batches_tracked) may come on top.
        Assert.All(keys.Except(expected), k => Assert.Matches(@"^layers\.bn\d\.num_batches_tracked$", k));
    }

    [Fact]
    public void OutputHasShapeBatchByOutputSize()
    {
        using var network = new DeepNeuralNetwork(new DeepNeuralNetworkSpec { InputSize = 4, HiddenLayers = [6, 5], OutputSize = 3, BatchNormalization = true, Dropout = [0.5] });
        using var x = torch.randn(7, 4);
        using var y = network.call(x);
        Assert.Equal(new long[] { 7, 3 }, y.shape);
    }

    [Fact]
    public void LogisticRegressionIsOneLinearLayer()
    {
        using var network = new DeepNeuralNetwork(new DeepNeuralNetworkSpec { InputSize = 6, OutputSize = 4 });
        Assert.Single(network.modules().OfType<TorchSharp.Modules.Linear>());
        Assert.Equal((6 * 4) + 4, network.parameters().Sum(p => p.numel()));
        Assert.Equal(["layers.out.weight", "layers.out.bias"], network.state_dict().Keys.ToArray());
    }

    [Theory]
    [InlineData(WeightInitialization.HeNormal, Activation.ReLU)]
    [InlineData(WeightInitialization.Auto, Activation.ReLU)]
    [InlineData(WeightInitialization.XavierNormal, Activation.ReLU)]
    [InlineData(WeightInitialization.Auto, Activation.Sigmoid)]
    [InlineData(WeightInitialization.SmallRandom, Activation.ReLU)]
    [InlineData(WeightInitialization.HeUniform, Activation.ReLU)]
    [InlineData(WeightInitialization.XavierUniform, Activation.ReLU)]
    public void InitializationHasDocumentedStandardDeviation(WeightInitialization initialization, Activation activation)
    {
        const int Fan = 1000;
        torch.random.manual_seed(1);
        using var network = new DeepNeuralNetwork(new DeepNeuralNetworkSpec
        {
            InputSize = Fan,
            HiddenLayers = [Fan],
            OutputSize = 1,
            Activation = activation,
            Initialization = initialization,
        });
        var state = network.state_dict();
        var weight = state["layers.fc1.weight"];

        var (std, bound) = initialization switch
        {
            WeightInitialization.HeNormal or WeightInitialization.Auto when activation == Activation.ReLU => (Math.Sqrt(2.0 / Fan), double.NaN),
            WeightInitialization.XavierNormal or WeightInitialization.Auto => (Math.Sqrt(2.0 / (Fan + Fan)), double.NaN),
            WeightInitialization.SmallRandom => (0.01, double.NaN),
            WeightInitialization.HeUniform => (Math.Sqrt(6.0 / Fan) / Math.Sqrt(3), Math.Sqrt(6.0 / Fan)),
            WeightInitialization.XavierUniform => (Math.Sqrt(6.0 / (Fan + Fan)) / Math.Sqrt(3), Math.Sqrt(6.0 / (Fan + Fan))),
            _ => throw new ArgumentOutOfRangeException(nameof(initialization)),
        };

        var actual = weight.std().ToDouble();
        Assert.InRange(actual, 0.9 * std, 1.1 * std);
        Assert.InRange(Math.Abs(weight.mean().ToDouble()), 0, 0.1 * std);
        if (!double.IsNaN(bound))
        {
            Assert.True(weight.abs().max().ToDouble() <= bound);
        }

        Assert.Equal(0, state["layers.fc1.bias"].abs().max().ToDouble());
        Assert.Equal(0, state["layers.out.bias"].abs().max().ToDouble());
    }

    public static TheoryData<DeepNeuralNetworkSpec, string, string> InvalidSpecs => new()
    {
        { new DeepNeuralNetworkSpec { InputSize = 0, OutputSize = 1 }, "InputSize", "0" },
        { new DeepNeuralNetworkSpec { InputSize = 3, OutputSize = 0 }, "OutputSize", "0" },
        { new DeepNeuralNetworkSpec { InputSize = 3, HiddenLayers = [4, 0], OutputSize = 1 }, "HiddenLayers[1]", "0" },
        { new DeepNeuralNetworkSpec { InputSize = 3, HiddenLayers = [4], OutputSize = 1, Dropout = [1.0] }, "Dropout[0]", "1" },
        { new DeepNeuralNetworkSpec { InputSize = 3, HiddenLayers = [4, 3, 2], OutputSize = 1, Dropout = [0.1, 0.2] }, "Dropout.Count", "2" },
        { new DeepNeuralNetworkSpec { InputSize = 3, OutputSize = 1, LeakyReluSlope = -1 }, "LeakyReluSlope", "-1" },
        { new DeepNeuralNetworkSpec { InputSize = 3, OutputSize = 1, Activation = (Activation)42 }, "Activation", "42" },
        { new DeepNeuralNetworkSpec { InputSize = 3, OutputSize = 1, Initialization = (WeightInitialization)42 }, "Initialization", "42" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidOptionThrowsNamingOptionAndValue(DeepNeuralNetworkSpec spec, string option, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(spec.Validate);
        Assert.Contains($"{option} = {value}", e.Message);
        Assert.Equal(option, e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeepNeuralNetwork(spec));
    }

    [Fact]
    public void JsonRoundTripKeepsEveryOption()
    {
        var spec = new DeepNeuralNetworkSpec
        {
            InputSize = 7,
            HiddenLayers = [16, 8],
            OutputSize = 3,
            Activation = Activation.LeakyReLU,
            LeakyReluSlope = 0.2,
            Dropout = [0.25, 0.125],
            BatchNormalization = true,
            Initialization = WeightInitialization.XavierUniform,
        };
        var json = spec.ToJson();
        Assert.Contains("deep-neural-network", json);

        var back = Assert.IsType<DeepNeuralNetworkSpec>(NetworkSpec.FromJson(json));
        Assert.Equal(spec.InputSize, back.InputSize);
        Assert.Equal(spec.HiddenLayers, back.HiddenLayers);
        Assert.Equal(spec.OutputSize, back.OutputSize);
        Assert.Equal(spec.Activation, back.Activation);
        Assert.Equal(spec.LeakyReluSlope, back.LeakyReluSlope);
        Assert.Equal(spec.Dropout, back.Dropout);
        Assert.Equal(spec.BatchNormalization, back.BatchNormalization);
        Assert.Equal(spec.Initialization, back.Initialization);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void JsonRoundTripOfDefaults()
    {
        var spec = new DeepNeuralNetworkSpec { InputSize = 2, OutputSize = 1 };
        var back = Assert.IsType<DeepNeuralNetworkSpec>(NetworkSpec.FromJson(spec.ToJson()));
        Assert.Empty(back.HiddenLayers);
        Assert.Empty(back.Dropout);
        Assert.Equal(spec with { HiddenLayers = back.HiddenLayers, Dropout = back.Dropout }, back);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"architecture":"resnet","InputSize":3,"OutputSize":1}""")]
    [InlineData("""{"architecture":"deep-neural-network","InputSize":0,"OutputSize":1}""")]
    [InlineData("""{"architecture":"deep-neural-network","InputSize":3,"OutputSize":1,"Activation":"Swish"}""")]
    public void FromJsonOfInvalidTextThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => NetworkSpec.FromJson(json));
    }

    [Fact]
    public void SameSeedGivesIdenticalParameters()
    {
        var spec = new DeepNeuralNetworkSpec { InputSize = 5, HiddenLayers = [8, 4], OutputSize = 2, BatchNormalization = true };
        torch.random.manual_seed(5);
        using var first = new DeepNeuralNetwork(spec);
        torch.random.manual_seed(5);
        using var second = new DeepNeuralNetwork(spec);
        torch.random.manual_seed(6);
        using var third = new DeepNeuralNetwork(spec);

        var a = first.state_dict();
        var b = second.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a.Keys, k => Assert.True(a[k].allclose(b[k], 0, 0), k));
        Assert.False(a["layers.fc1.weight"].allclose(third.state_dict()["layers.fc1.weight"], 0, 0));
    }
}

using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;

namespace DeepLearning.Tests.Networks.Architectures;

public class SmallCnnTests
{
    [Fact]
    public void HasItsParameterCountAndSplit()
    {
        using var network = new SmallCnn(new SmallCnnSpec());
        Assert.Equal(421_738, TorchVisionParity.ParameterCount(network));
        Assert.Equal(64 * 7 * 7, network.FeatureSize);
        Assert.Contains("features.2.1.running_var", network.state_dict().Keys);
        Assert.Contains("classifier.3.weight", network.state_dict().Keys);
    }

    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 32, 30)]
    [InlineData(3, 224, 224)]
    public void OutputShapeIsBatchByClasses(int channels, int height, int width)
        => TorchVisionParity.AssertOutputShape(new SmallCnnSpec { InputChannels = channels, InputHeight = height, InputWidth = width, WidthMultiplier = height > 64 ? 0.25 : 1 });

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new SmallCnnSpec { InputChannels = 3, InputHeight = 32, InputWidth = 32, OutputSize = 4, WidthMultiplier = 2 };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new SmallCnnSpec { WidthMultiplier = 0 }, nameof(SmallCnnSpec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new SmallCnnSpec { InputHeight = 3 }, nameof(SmallCnnSpec.InputHeight));
    }
}

using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;

namespace DeepLearning.Tests.Networks.Architectures;

public class LeNet5Tests
{
    [Fact]
    public void ClassicLeNet5HasItsParameterCountAndKeys()
    {
        using var network = new LeNet5(new LeNet5Spec());
        Assert.Equal(61_706, TorchVisionParity.ParameterCount(network));
        Assert.Equal(400, network.FeatureSize);
        Assert.Equal(
            ["features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "classifier.0.weight", "classifier.0.bias", "classifier.2.weight", "classifier.2.bias", "classifier.4.weight", "classifier.4.bias"],
            network.state_dict().Keys);
    }

    [Theory]
    [InlineData(false, 1, 32)]
    [InlineData(true, 1, 28)]
    [InlineData(false, 3, 28)]
    public void OutputShapeIsBatchByClasses(bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new LeNet5Spec { SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size });

    [Fact]
    public void SmallInputSeesTwentyEightPixelsAsThirtyTwo()
    {
        using var network = new LeNet5(new LeNet5Spec { SmallInput = true, InputHeight = 28, InputWidth = 28 });
        Assert.Equal(61_706, TorchVisionParity.ParameterCount(network));
    }

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new LeNet5Spec { InputHeight = 28, InputWidth = 28, SmallInput = true, OutputSize = 26 };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new LeNet5Spec { InputHeight = 15 }, nameof(LeNet5Spec.InputHeight));
        TorchVisionParity.AssertInvalid(new LeNet5Spec { InputChannels = -1 }, nameof(LeNet5Spec.InputChannels));
        TorchVisionParity.AssertInvalid(new LeNet5Spec { OutputSize = 0 }, nameof(LeNet5Spec.OutputSize));
        new LeNet5Spec { InputHeight = 16, InputWidth = 16 }.Validate();
        new LeNet5Spec { SmallInput = true, InputHeight = 12, InputWidth = 12 }.Validate();
    }
}

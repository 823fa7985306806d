using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using Xunit.Abstractions;

namespace DeepLearning.Tests.Networks.Architectures;

public class AlexNetTests(ITestOutputHelper output)
{
    [Fact]
    public void MatchesTorchVision()
    {
        torch.random.manual_seed(4);
        using var reference = torchvision.models.alexnet();
        using var ours = new AlexNet(new AlexNetSpec());
        Assert.Equal(61_100_840, TorchVisionParity.ParameterCount(reference));
        Assert.Equal(61_100_840, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"AlexNet: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Theory]
    [InlineData(false, 3, 224)]
    [InlineData(true, 1, 28)]
    public void OutputShapeIsBatchByClasses(bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new AlexNetSpec { SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10, WidthMultiplier = 0.25 });

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new AlexNetSpec { InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10, WidthMultiplier = 0.5, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new AlexNetSpec { WidthMultiplier = double.NaN }, nameof(AlexNetSpec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new AlexNetSpec { InputHeight = 28 }, nameof(AlexNetSpec.InputHeight));
        TorchVisionParity.AssertInvalid(new AlexNetSpec { SmallInput = true, InputWidth = 6 }, nameof(AlexNetSpec.InputWidth));
    }
}

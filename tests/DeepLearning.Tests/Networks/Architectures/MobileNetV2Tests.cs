using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks.Architectures;

public class MobileNetV2Tests(ITestOutputHelper output)
{
    [Fact]
    public void MatchesTorchVision()
    {
        torch.random.manual_seed(2);
        using var reference = torchvision.models.mobilenet_v2();
        using var ours = new MobileNetV2(new MobileNetV2Spec());
        Assert.Equal(3_504_872, TorchVisionParity.ParameterCount(reference));
        Assert.Equal(3_504_872, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"MobileNetV2: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Fact]
    public void WidthMultiplierMatchesTorchVision()
    {
        using var reference = torchvision.models.mobilenet_v2(num_classes: 10, width_mult: 0.5);
        using var ours = new MobileNetV2(new MobileNetV2Spec { WidthMultiplier = 0.5, OutputSize = 10 });
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
    }

    [Theory]
    [InlineData(false, 3, 224)]
    [InlineData(true, 1, 28)]
    [InlineData(true, 3, 32)]
    public void OutputShapeIsBatchByClasses(bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new MobileNetV2Spec { SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10 });

    [Fact]
    public void SmallInputKeepsEightTimesMoreResolution()
    {
        using var network = new MobileNetV2(new MobileNetV2Spec { SmallInput = true, InputChannels = 1, InputHeight = 32, InputWidth = 32, OutputSize = 10 });
        using var noGrad = torch.no_grad();
        network.eval();
        var features = network.named_children().Single(c => c.name == "features").module;
        using var x = ((nn.Module<Tensor, Tensor>)features).call(torch.randn(1, 1, 32, 32));
        Assert.Equal(new long[] { 1, 1280, 4, 4 }, x.shape);
        Assert.Equal(1280, network.FeatureSize);
    }

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new MobileNetV2Spec { InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10, WidthMultiplier = 0.75, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new MobileNetV2Spec { WidthMultiplier = -1 }, nameof(MobileNetV2Spec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new MobileNetV2Spec { InputWidth = 0 }, nameof(MobileNetV2Spec.InputWidth));
        TorchVisionParity.AssertInvalid(new MobileNetV2Spec { OutputSize = -3 }, nameof(MobileNetV2Spec.OutputSize));
    }
}

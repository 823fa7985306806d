using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks.Architectures;

public class VggTests(ITestOutputHelper output)
{
    [Fact]
    public void Vgg16MatchesTorchVision()
    {
        torch.random.manual_seed(3);
        using var reference = torchvision.models.vgg16();
        using var ours = new Vgg(new VggSpec { Variant = VggVariant.Vgg16 });
        Assert.Equal(138_357_544, TorchVisionParity.ParameterCount(reference));
        Assert.Equal(138_357_544, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"VGG-16: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Fact]
    public void Vgg11WithBatchNormMatchesTorchVision()
    {
        torch.random.manual_seed(3);
        using var reference = torchvision.models.vgg11_bn();
        using var ours = new Vgg(new VggSpec { Variant = VggVariant.Vgg11, BatchNormalization = true });
        Assert.Equal(132_868_840, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"VGG-11-BN: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Theory]
    [InlineData(VggVariant.Vgg13, false, 133_047_848)]
    [InlineData(VggVariant.Vgg19, true, 143_678_248)]
    public void KeysShapesAndCountsMatchTorchVision(VggVariant variant, bool batchNorm, long parameters)
    {
        using nn.Module reference = variant == VggVariant.Vgg13 ? torchvision.models.vgg13() : torchvision.models.vgg19_bn();
        using var ours = new Vgg(new VggSpec { Variant = variant, BatchNormalization = batchNorm });
        Assert.Equal(parameters, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
    }

    [Theory]
    [InlineData(VggVariant.Vgg11, false, 3, 224)]
    [InlineData(VggVariant.Vgg16, true, 1, 28)]
    [InlineData(VggVariant.Vgg19, true, 3, 32)]
    public void OutputShapeIsBatchByClasses(VggVariant variant, bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new VggSpec { Variant = variant, BatchNormalization = true, SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10, WidthMultiplier = size == 224 ? 0.25 : 1 });

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new VggSpec { Variant = VggVariant.Vgg11, BatchNormalization = true, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10, WidthMultiplier = 0.5, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new VggSpec { Variant = (VggVariant)7 }, nameof(VggSpec.Variant));
        TorchVisionParity.AssertInvalid(new VggSpec { WidthMultiplier = 5 }, nameof(VggSpec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new VggSpec { InputHeight = 28, InputWidth = 28 }, nameof(VggSpec.InputHeight));
        TorchVisionParity.AssertInvalid(new VggSpec { SmallInput = true, InputHeight = 28, InputWidth = 8 }, nameof(VggSpec.InputWidth));
    }
}

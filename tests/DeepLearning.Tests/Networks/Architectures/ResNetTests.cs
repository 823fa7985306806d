using Xunit.Abstractions;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks.Architectures;

public class ResNetTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ResNetVariant.ResNet18, 11_689_512)]
    [InlineData(ResNetVariant.ResNet50, 25_557_032)]
    public void MatchesTorchVision(ResNetVariant variant, long parameters)
    {
        torch.random.manual_seed(1);
        using nn.Module<Tensor, Tensor> reference = variant == ResNetVariant.ResNet18 ? torchvision.models.resnet18() : torchvision.models.resnet50();
        using var ours = new ResNet(new ResNetSpec { Variant = variant });
        Assert.Equal(parameters, TorchVisionParity.ParameterCount(reference));
        Assert.Equal(parameters, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"{variant}: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Theory]
    [InlineData(ResNetVariant.ResNet34, 21_797_672)]
    [InlineData(ResNetVariant.ResNet101, 44_549_160)]
    [InlineData(ResNetVariant.ResNet152, 60_192_808)]
    public void DeeperVariantsHaveTorchVisionsKeysAndCounts(ResNetVariant variant, long parameters)
    {
        using nn.Module reference = variant switch
        {
            ResNetVariant.ResNet34 => torchvision.models.resnet34(),
            ResNetVariant.ResNet101 => torchvision.models.resnet101(),
            _ => torchvision.models.resnet152(),
        };
        using var ours = new ResNet(new ResNetSpec { Variant = variant });
        Assert.Equal(parameters, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
    }

    [Fact]
    public void ExposesBackboneAndHead()
    {
        using var network = new ResNet(new ResNetSpec { Variant = ResNetVariant.ResNet50, OutputSize = 7, InputHeight = 32, InputWidth = 32 });
        Assert.Equal(2048, network.FeatureSize);
        Assert.IsType<TorchSharp.Modules.Linear>(network.Head);
        using var noGrad = torch.no_grad();
        network.eval();
        using var features = network.ForwardFeatures(torch.randn(1, 3, 32, 32));
        Assert.Equal(new long[] { 1, 2048 }, features.shape);
    }

    [Theory]
    [InlineData(ResNetVariant.ResNet18, false, 3, 224)]
    [InlineData(ResNetVariant.ResNet18, true, 1, 28)]
    [InlineData(ResNetVariant.ResNet34, true, 1, 28)]
    [InlineData(ResNetVariant.ResNet50, true, 1, 28)]
    [InlineData(ResNetVariant.ResNet20, false, 1, 28)]
    [InlineData(ResNetVariant.ResNet56, false, 3, 32)]
    public void OutputShapeIsBatchByClasses(ResNetVariant variant, bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new ResNetSpec { Variant = variant, SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10 });

    [Fact]
    public void SmallInputStemIsThreeByThreeWithoutMaxPool()
    {
        using var network = new ResNet(new ResNetSpec { SmallInput = true, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10 });
        Assert.Equal(new long[] { 64, 1, 3, 3 }, network.state_dict()["conv1.weight"].shape);
        Assert.DoesNotContain(network.named_modules(), m => m.module is TorchSharp.Modules.MaxPool2d);
    }

    [Theory]
    [InlineData(ResNetVariant.ResNet20, 10, 269_722)]
    [InlineData(ResNetVariant.ResNet56, 10, 853_018)]
    public void CifarResNetsHaveThePapersSizeWithOptionAShortcuts(ResNetVariant variant, int classes, long parameters)
    {
        using var network = new ResNet(new ResNetSpec { Variant = variant, OutputSize = classes, InputHeight = 32, InputWidth = 32 });
        Assert.Equal(parameters, TorchVisionParity.ParameterCount(network));
        var keys = network.state_dict().Keys.ToList();
        Assert.Contains("layer3.0.conv1.weight", keys);
        Assert.DoesNotContain(keys, k => k.Contains("downsample", StringComparison.Ordinal) || k.StartsWith("layer4", StringComparison.Ordinal));
        Assert.Equal(new long[] { 16, 3, 3, 3 }, network.state_dict()["conv1.weight"].shape);
    }

    [Fact]
    public void CifarResNetCanUseProjectionShortcuts()
    {
        using var network = new ResNet(new ResNetSpec { Variant = ResNetVariant.ResNet20, ProjectionShortcuts = true, OutputSize = 10, InputHeight = 32, InputWidth = 32 });
        // Option B adds 1×1 convolutions 16→32 and 32→64 with their batch norms.
        Assert.Equal(269_722 + (16 * 32) + (2 * 32) + (32 * 64) + (2 * 64), TorchVisionParity.ParameterCount(network));
        Assert.Equal(new long[] { 64, 32, 1, 1 }, network.state_dict()["layer3.0.downsample.0.weight"].shape);
        TorchVisionParity.AssertOutputShape(network.Spec);
    }

    [Fact]
    public void WidthMultiplierScalesChannels()
    {
        using var network = new ResNet(new ResNetSpec { WidthMultiplier = 0.5, OutputSize = 10 });
        Assert.Equal(256, network.FeatureSize);
        Assert.Equal(new long[] { 32, 3, 7, 7 }, network.state_dict()["conv1.weight"].shape);
    }

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new ResNetSpec { Variant = ResNetVariant.ResNet56, ProjectionShortcuts = true, InputChannels = 1, InputHeight = 28, InputWidth = 30, OutputSize = 10, WidthMultiplier = 0.5, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Contains("\"type\":\"resnet\"", spec.ToJson(), StringComparison.Ordinal);
        Assert.Equal(spec, Transforms.Networks.NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new ResNetSpec { Variant = (ResNetVariant)99 }, nameof(ResNetSpec.Variant));
        TorchVisionParity.AssertInvalid(new ResNetSpec { WidthMultiplier = 0 }, nameof(ResNetSpec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new ResNetSpec { InputChannels = 0 }, nameof(ResNetSpec.InputChannels));
        TorchVisionParity.AssertInvalid(new ResNetSpec { OutputSize = 0 }, nameof(ResNetSpec.OutputSize));
        TorchVisionParity.AssertInvalid(new ResNetSpec { InputHeight = 0 }, nameof(ResNetSpec.InputHeight));
    }
}

using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using Xunit.Abstractions;

namespace DeepLearning.Tests.Networks.Architectures;

public class GoogLeNetTests(ITestOutputHelper output)
{
    [Fact]
    public void MatchesTorchVisionWithoutAuxiliaryHeads()
    {
        torch.random.manual_seed(5);
        using var reference = torchvision.models.googlenet();
        using var ours = new GoogLeNet(new GoogLeNetSpec());
        Assert.Equal(6_624_904, TorchVisionParity.ParameterCount(reference));
        Assert.Equal(6_624_904, TorchVisionParity.ParameterCount(ours));
        TorchVisionParity.AssertSameKeysAndShapes(reference, ours);
        Assert.Contains("inception3a.branch1.conv.weight", ours.state_dict().Keys);
        Assert.Equal(0.001, ((TorchSharp.Modules.BatchNorm2d)ours.named_modules().Single(m => m.name == "inception3a.branch1.bn").module).eps);
        var difference = TorchVisionParity.MaxOutputDifference(reference, ours, 1, 3, 224, 224);
        output.WriteLine($"GoogLeNet: max |torchvision - ours| = {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Fact]
    public void AuxiliaryHeadsHaveTorchVisionsKeysAndRunInTraining()
    {
        using var network = new GoogLeNet(new GoogLeNetSpec { AuxiliaryHeads = true, OutputSize = 10 });
        // torchvision: aux1/aux2 = conv (BasicConv2d 128), fc1 2048→1024, fc2 1024→classes.
        var keys = network.state_dict();
        Assert.Equal(new long[] { 128, 512, 1, 1 }, keys["aux1.conv.conv.weight"].shape);
        Assert.Equal(new long[] { 128, 528, 1, 1 }, keys["aux2.conv.conv.weight"].shape);
        Assert.Equal(new long[] { 1024, 2048 }, keys["aux1.fc1.weight"].shape);
        Assert.Equal(new long[] { 10, 1024 }, keys["aux2.fc2.weight"].shape);

        network.train();
        var (logits, a1, a2) = network.ForwardWithAuxiliary(torch.randn(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.Equal(new long[] { 2, 10 }, a1!.shape);
        Assert.Equal(new long[] { 2, 10 }, a2!.shape);
        network.eval();
        using var noGrad = torch.no_grad();
        var (_, none1, none2) = network.ForwardWithAuxiliary(torch.randn(1, 3, 64, 64));
        Assert.Null(none1);
        Assert.Null(none2);
    }

    [Theory]
    [InlineData(false, 3, 224)]
    [InlineData(true, 1, 28)]
    public void OutputShapeIsBatchByClasses(bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new GoogLeNetSpec { SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10, WidthMultiplier = size == 224 ? 0.25 : 1 });

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new GoogLeNetSpec { AuxiliaryHeads = true, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10, WidthMultiplier = 0.5, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new GoogLeNetSpec { WidthMultiplier = 0 }, nameof(GoogLeNetSpec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new GoogLeNetSpec { InputHeight = 0 }, nameof(GoogLeNetSpec.InputHeight));
        TorchVisionParity.AssertInvalid(new GoogLeNetSpec { OutputSize = 0 }, nameof(GoogLeNetSpec.OutputSize));
    }
}

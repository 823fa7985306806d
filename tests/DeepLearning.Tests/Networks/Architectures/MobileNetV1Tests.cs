using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks.Architectures;

public class MobileNetV1Tests
{
    [Fact]
    public void HasThePapersParameterCountAndDocumentedKeys()
    {
        using var network = new MobileNetV1(new MobileNetV1Spec());
        // Trainable parameters of Keras' MobileNet (alpha 1, 224, 1000 classes).
        Assert.Equal(4_231_976, TorchVisionParity.ParameterCount(network));
        Assert.Equal(1024, network.FeatureSize);
        var state = network.state_dict();
        Assert.Equal(new long[] { 32, 3, 3, 3 }, state["features.0.0.weight"].shape);
        Assert.Equal(new long[] { 32, 1, 3, 3 }, state["features.1.depthwise.0.weight"].shape);
        Assert.Equal(new long[] { 64, 32, 1, 1 }, state["features.1.pointwise.0.weight"].shape);
        Assert.Contains("features.13.pointwise.1.running_var", state.Keys);
        Assert.Equal(new long[] { 1000, 1024 }, state["classifier.weight"].shape);
    }

    [Theory]
    [InlineData(false, 3, 224)]
    [InlineData(true, 1, 28)]
    public void OutputShapeIsBatchByClasses(bool smallInput, int channels, int size)
        => TorchVisionParity.AssertOutputShape(new MobileNetV1Spec { SmallInput = smallInput, InputChannels = channels, InputHeight = size, InputWidth = size, OutputSize = 10 });

    [Fact]
    public void SmallInputHasTotalStrideEight()
    {
        using var network = new MobileNetV1(new MobileNetV1Spec { SmallInput = true, InputHeight = 32, InputWidth = 32, OutputSize = 10 });
        using var noGrad = torch.no_grad();
        network.eval();
        var features = (nn.Module<Tensor, Tensor>)network.named_children().Single(c => c.name == "features").module;
        using var x = features.call(torch.randn(1, 3, 32, 32));
        Assert.Equal(new long[] { 1, 1024, 4, 4 }, x.shape);
    }

    [Fact]
    public void WidthMultiplierScalesChannels()
    {
        using var network = new MobileNetV1(new MobileNetV1Spec { WidthMultiplier = 0.25, OutputSize = 10 });
        Assert.Equal(256, network.FeatureSize);
    }

    [Fact]
    public void SpecRoundTripsThroughJson()
    {
        var spec = new MobileNetV1Spec { InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10, WidthMultiplier = 0.5, SmallInput = true };
        TorchVisionParity.AssertJsonRoundTrip(spec);
        Assert.Equal(spec, NetworkSpec.FromJson(spec.ToJson()));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        TorchVisionParity.AssertInvalid(new MobileNetV1Spec { WidthMultiplier = 4.5 }, nameof(MobileNetV1Spec.WidthMultiplier));
        TorchVisionParity.AssertInvalid(new MobileNetV1Spec { InputChannels = 0 }, nameof(MobileNetV1Spec.InputChannels));
    }
}

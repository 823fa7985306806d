using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Diagnostics;

/// <summary>
/// Gradient checks (float64, relative error below 1e-6, every parameter and the input) of the
/// blocks the architectures are built from, as the library builds them: ResNet's basic block
/// (identity, option-A and projection shortcuts) and bottleneck, GoogLeNet's inception module and
/// MobileNetV2's inverted residual.
/// </summary>
public sealed class ArchitectureBlockGradientCheckTests
{
    private readonly ITestOutputHelper output;

    public ArchitectureBlockGradientCheckTests(ITestOutputHelper output)
    {
        this.output = output;
        random.manual_seed(11);
    }

    [Theory]
    [InlineData(4, 4, 1, false)]
    [InlineData(4, 8, 2, true)]
    [InlineData(4, 8, 2, false)]
    public void ResNetBasicBlockPasses(long inplanes, long planes, long stride, bool optionA)
    {
        using var block = ModuleGradientCheck.WithRandomAffineNorms(new ResNetBasicBlock(inplanes, planes, stride, optionA));
        ModuleGradientCheck.AssertPasses(output, block, 2, inplanes, 6, 6);
    }

    [Fact]
    public void ResNetBottleneckWithProjectionPasses()
    {
        using var block = ModuleGradientCheck.WithRandomAffineNorms(new ResNetBottleneck(4, 2, 2));
        ModuleGradientCheck.AssertPasses(output, block, 2, 4, 6, 6);
    }

    [Fact]
    public void InceptionModulePasses()
    {
        using var network = new GoogLeNetSpec { WidthMultiplier = 0.0625, SmallInput = true, InputHeight = 16, InputWidth = 16, OutputSize = 2 }.Build();
        var inception = Block(network, "inception3a");
        ModuleGradientCheck.AssertPasses(output, ModuleGradientCheck.WithRandomAffineNorms(inception), 2, InputChannels(inception), 3, 3);
    }

    [Fact]
    public void InvertedResidualWithItsSkipConnectionPasses()
    {
        // features.3: the second block of the (t = 6, c = 24, n = 2) row, stride 1 with the residual add.
        using var network = new MobileNetV2Spec { WidthMultiplier = 0.25, SmallInput = true, InputHeight = 16, InputWidth = 16, OutputSize = 2 }.Build();
        var block = Block(network, "features.3");
        ModuleGradientCheck.AssertPasses(output, ModuleGradientCheck.WithRandomAffineNorms(block), 2, InputChannels(block), 4, 4);
    }

    private static nn.Module<Tensor, Tensor> Block(nn.Module network, string name)
        => (nn.Module<Tensor, Tensor>)network.named_modules().Single(m => m.name == name).module;

    /// <summary>The block's input channels: those of its first convolution by name (<c>conv.0.0</c>, <c>branch1.conv</c>), which reads the input.</summary>
    private static long InputChannels(nn.Module block)
        => block.named_modules().Where(m => m.module is Conv2d).OrderBy(m => m.name, StringComparer.Ordinal).Select(m => ((Conv2d)m.module).weight!.shape[1]).First();
}

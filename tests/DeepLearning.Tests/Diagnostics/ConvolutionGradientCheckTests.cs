using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Diagnostics;

/// <summary>
/// Gradient checks (float64, relative error below 1e-6) of TorchSharp's convolution layers and of
/// small convolutional blocks built here: parameters and input.
/// </summary>
public sealed class ConvolutionGradientCheckTests
{
    private readonly ITestOutputHelper output;

    public ConvolutionGradientCheckTests(ITestOutputHelper output)
    {
        this.output = output;
        random.manual_seed(5);
    }

    public static TheoryData<string> Convolutions => ["plain", "stride 2 padding 1", "dilation 2", "groups 2", "depthwise", "non-square", "no bias"];

    public static TheoryData<string> Poolings => ["max 2x2", "max 3x3 stride 2 padding 1", "avg 3x3 stride 2 padding 1", "avg without padding in the divisor", "global average"];

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv2dPasses(string name)
    {
        using var conv = name switch
        {
            "plain" => nn.Conv2d(3, 4, 3),
            "stride 2 padding 1" => nn.Conv2d(3, 4, 3, stride: 2, padding: 1),
            "dilation 2" => nn.Conv2d(3, 4, 3, padding: 2, dilation: 2),
            "groups 2" => nn.Conv2d(4, 6, 3, padding: 1, groups: 2),
            "depthwise" => nn.Conv2d(4, 4, 3, padding: 1, groups: 4),
            "non-square" => nn.Conv2d(4, 2, (3, 5), stride: (2, 1), padding: (1, 2), dilation: (1, 2)),
            "no bias" => nn.Conv2d(3, 4, 1, bias: false),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        ModuleGradientCheck.AssertPasses(output, conv, 2, conv.in_channels, 7, 7);
    }

    [Fact]
    public void DepthwiseSeparableConvolutionPasses()
    {
        using var block = nn.Sequential(
            ("depthwise", nn.Conv2d(4, 4, 3, padding: 1, groups: 4, bias: false)),
            ("pointwise", nn.Conv2d(4, 6, 1)));
        ModuleGradientCheck.AssertPasses(output, block, 2, 4, 6, 6);
    }

    [Theory]
    [MemberData(nameof(Poolings))]
    public void PoolingPasses(string name)
    {
        // Random normal inputs almost surely have no tie within ε in a max-pool window.
        using nn.Module<Tensor, Tensor> pool = name switch
        {
            "max 2x2" => nn.MaxPool2d(2),
            "max 3x3 stride 2 padding 1" => nn.MaxPool2d(3, stride: 2, padding: 1),
            "avg 3x3 stride 2 padding 1" => nn.AvgPool2d(3, stride: 2, padding: 1),
            "avg without padding in the divisor" => nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: false),
            "global average" => nn.AdaptiveAvgPool2d(1),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        ModuleGradientCheck.AssertPasses(output, pool, 2, 3, 7, 8);
    }

    [Fact]
    public void BatchNorm2dInTrainModePasses()
    {
        using var norm = nn.BatchNorm2d(3);
        norm.train();
        ModuleGradientCheck.AssertPasses(output, norm, 4, 3, 5, 5);
    }

    [Fact]
    public void DropoutInEvalModeIsTheIdentityAndPasses()
    {
        using var dropout = nn.Dropout(0.5);
        dropout.eval();
        var result = ModuleGradientCheck.AssertPasses(output, dropout, 2, 3, 4, 4);
        Assert.Equal(2 * 3 * 4 * 4, result.ElementsChecked);
    }

    [Fact]
    public void ResidualBlockPasses()
    {
        using var block = ModuleGradientCheck.WithRandomAffineNorms(new ResidualBlock(4));
        ModuleGradientCheck.AssertPasses(output, block, 3, 4, 6, 6);
    }

    [Fact]
    public void InvertedResidualBlockPasses()
    {
        using var block = ModuleGradientCheck.WithRandomAffineNorms(new InvertedResidualBlock(4, expansion: 3));
        ModuleGradientCheck.AssertPasses(output, block, 3, 4, 6, 6);
    }

    /// <summary>ResNet's basic block: relu(x + bn(conv(relu(bn(conv(x)))))).</summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential body;

        public ResidualBlock(long channels)
            : base(nameof(ResidualBlock))
        {
            body = nn.Sequential(
                ("conv1", nn.Conv2d(channels, channels, 3, padding: 1, bias: false)),
                ("bn1", nn.BatchNorm2d(channels)),
                ("relu", nn.ReLU()),
                ("conv2", nn.Conv2d(channels, channels, 3, padding: 1, bias: false)),
                ("bn2", nn.BatchNorm2d(channels)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return scope.MoveToOuter(nn.functional.relu(x + body.call(x)));
        }
    }

    /// <summary>MobileNetV2's block: x + project(depthwise(expand(x))), with ReLU6 and no activation after the projection.</summary>
    private sealed class InvertedResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential body;

        public InvertedResidualBlock(long channels, long expansion)
            : base(nameof(InvertedResidualBlock))
        {
            var hidden = channels * expansion;
            body = nn.Sequential(
                ("expand", nn.Conv2d(channels, hidden, 1, bias: false)),
                ("bn1", nn.BatchNorm2d(hidden)),
                ("relu1", nn.ReLU6()),
                ("depthwise", nn.Conv2d(hidden, hidden, 3, padding: 1, groups: hidden, bias: false)),
                ("bn2", nn.BatchNorm2d(hidden)),
                ("relu2", nn.ReLU6()),
                ("project", nn.Conv2d(hidden, channels, 1, bias: false)),
                ("bn3", nn.BatchNorm2d(channels)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return scope.MoveToOuter(x + body.call(x));
        }
    }
}

using DeepLearning.Trainers.Diagnostics.FirstPrinciples;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static DeepLearning.Tests.Diagnostics.FirstPrinciples.HandWrittenComparison;
using F = TorchSharp.torch.nn.functional;

namespace DeepLearning.Tests.Diagnostics.FirstPrinciples;

/// <summary>The hand-written convolution against TorchSharp's <c>conv2d</c> and its autograd.</summary>
public sealed class Conv2dFromScratchTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Configurations =>
    [
        "plain", "stride 2", "padding 1", "stride 2 padding 1 odd size", "dilation 2", "groups 2", "depthwise",
        "depthwise multiplier 2", "non-square", "no bias", "float32",
    ];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ForwardAndGradientsMatchAutograd(string name)
    {
        var (channels, outputs, kernel, size, geometry, withBias, dtype) = Configuration(name);
        using var scope = NewDisposeScope();
        random.manual_seed(11);
        var x = randn([2, channels, size.Height, size.Width], dtype).requires_grad_();
        var weight = randn([outputs, channels / geometry.Groups, kernel.Height, kernel.Width], dtype).requires_grad_();
        var bias = withBias ? randn([outputs], dtype).requires_grad_() : null;

        var expected = F.conv2d(x, weight, bias, Pair(geometry.Stride), Pair(geometry.Padding), Pair(geometry.Dilation), geometry.Groups);
        var upstream = randn_like(expected);
        (expected * upstream).sum().backward();

        var actual = Conv2dFromScratch.Forward(x, weight, bias, geometry);
        using var gradients = Conv2dFromScratch.Backward(upstream, x, weight, withBias, geometry);
        Assert.False(actual.requires_grad);
        var diffs = new[]
        {
            ("output", MaxDiff(expected, actual)),
            ("∂x", MaxDiff(x.grad!, gradients.Input)),
            ("∂W", MaxDiff(weight.grad!, gradients.Weight)),
            ("∂b", bias is null ? 0 : MaxDiff(bias.grad!, gradients.Bias!)),
        };
        output.WriteLine($"{name}: " + string.Join(", ", diffs.Select(d => $"max |Δ{d.Item1}| {d.Item2:E2}")));
        Assert.Equal(withBias, gradients.Bias is not null);
        Assert.All(diffs, d => Assert.InRange(d.Item2, 0, Tolerance));
    }

    [Fact]
    public void MismatchedShapesThrowNamingTheArgument()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 4, 6, 6);
        var grouped = new Conv2dGeometry { Groups = 2 };
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => Conv2dFromScratch.Forward(x, randn(3, 2, 3, 3), null, grouped)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Conv2dFromScratch.Forward(x, randn(2, 4, 7, 7), null, new Conv2dGeometry())).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Conv2dFromScratch.Backward(randn(1, 2, 5, 5), x, randn(2, 4, 3, 3), true, new Conv2dGeometry())).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2dFromScratch.Forward(x, randn(2, 4, 3, 3), null, new Conv2dGeometry { Stride = (0, 1) }));
    }

    private static (long Channels, long Outputs, (long Height, long Width) Kernel, (long Height, long Width) Size, Conv2dGeometry Geometry, bool WithBias, ScalarType Dtype) Configuration(string name) => name switch
    {
        "plain" => (3, 4, (3, 3), (8, 8), new(), true, ScalarType.Float64),
        "stride 2" => (3, 4, (3, 3), (9, 9), new() { Stride = (2, 2) }, true, ScalarType.Float64),
        "padding 1" => (3, 4, (3, 3), (8, 8), new() { Padding = (1, 1) }, true, ScalarType.Float64),

        // (8 + 2 − 3) / 2 leaves a remainder: the last input column is in no window and gets no gradient.
        "stride 2 padding 1 odd size" => (2, 3, (3, 3), (7, 8), new() { Stride = (2, 2), Padding = (1, 1) }, true, ScalarType.Float64),
        "dilation 2" => (3, 4, (3, 3), (10, 10), new() { Dilation = (2, 2), Padding = (2, 2) }, true, ScalarType.Float64),
        "groups 2" => (4, 6, (3, 3), (8, 8), new() { Groups = 2, Padding = (1, 1) }, true, ScalarType.Float64),
        "depthwise" => (4, 4, (3, 3), (8, 8), new() { Groups = 4, Padding = (1, 1) }, true, ScalarType.Float64),
        "depthwise multiplier 2" => (3, 6, (3, 3), (7, 7), new() { Groups = 3, Stride = (2, 2), Padding = (1, 1) }, true, ScalarType.Float64),
        "non-square" => (2, 3, (3, 5), (9, 11), new() { Stride = (2, 1), Padding = (1, 2), Dilation = (1, 2) }, true, ScalarType.Float64),
        "no bias" => (3, 4, (1, 1), (5, 5), new() { Stride = (2, 2) }, false, ScalarType.Float64),
        "float32" => (4, 4, (3, 3), (12, 12), new() { Groups = 2, Padding = (1, 1), Dilation = (2, 2) }, true, ScalarType.Float32),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}

using DeepLearning.Trainers.Diagnostics.FirstPrinciples;
using TorchSharp;
using Xunit.Abstractions;
using static DeepLearning.Tests.Diagnostics.FirstPrinciples.HandWrittenComparison;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DeepLearning.Tests.Diagnostics.FirstPrinciples;

/// <summary>The hand-written max and average pooling against TorchSharp's and its autograd.</summary>
public sealed class Pool2dFromScratchTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Configurations => ["2x2", "3x3 stride 2 padding 1", "overlapping 3x3 stride 1", "non-square 2x3 stride (1, 2) padding 1", "odd size 3x3 stride 2"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MaxPoolingMatchesAutograd(string name)
    {
        var geometry = Geometry(name);
        var (outputDiff, gradDiff) = Compare(
            geometry,
            randn(2, 3, 9, 10, ScalarType.Float64),
            x => F.max_pool2d(x, Pair(geometry.Kernel), Pair(geometry.EffectiveStride), Pair(geometry.Padding)),
            Pool2dFromScratch.MaxForward,
            Pool2dFromScratch.MaxBackward);
        output.WriteLine($"max {name}: max |Δoutput| {outputDiff:E2}, max |Δ∂x| {gradDiff:E2}");
        Assert.InRange(outputDiff, 0, Tolerance);
        Assert.InRange(gradDiff, 0, Tolerance);
    }

    [Theory]
    [InlineData("2x2", true)]
    [InlineData("3x3 stride 2 padding 1", true)]
    [InlineData("3x3 stride 2 padding 1", false)]
    [InlineData("overlapping 3x3 stride 1", true)]
    [InlineData("non-square 2x3 stride (1, 2) padding 1", false)]
    [InlineData("odd size 3x3 stride 2", true)]
    public void AveragePoolingMatchesAutograd(string name, bool countIncludePad)
    {
        var geometry = Geometry(name) with { CountIncludePad = countIncludePad };
        var (outputDiff, gradDiff) = Compare(
            geometry,
            randn(2, 3, 9, 10, ScalarType.Float64),
            x => F.avg_pool2d(x, Pair(geometry.Kernel), Pair(geometry.EffectiveStride), Pair(geometry.Padding), count_include_pad: countIncludePad),
            Pool2dFromScratch.AvgForward,
            Pool2dFromScratch.AvgBackward);
        output.WriteLine($"avg {name} count_include_pad {countIncludePad}: max |Δoutput| {outputDiff:E2}, max |Δ∂x| {gradDiff:E2}");
        Assert.InRange(outputDiff, 0, Tolerance);
        Assert.InRange(gradDiff, 0, Tolerance);
    }

    [Fact]
    public void MaxPoolingTiesSendTheGradientToTheFirstMaximumInRowMajorOrder()
    {
        using var scope = NewDisposeScope();
        var geometry = new Pool2dGeometry { Kernel = (2, 2) };
        var flat = ones(1, 1, 2, 4, ScalarType.Float64);
        var gradient = Pool2dFromScratch.MaxBackward(full(1, 1, 1, 2, 5.0, ScalarType.Float64), flat, geometry);
        Assert.Equal(new double[] { 5, 0, 5, 0, 0, 0, 0, 0 }, gradient.data<double>().ToArray());

        // Many ties in overlapping windows: the same pixels win as in TorchSharp's CPU kernel.
        var overlapping = new Pool2dGeometry { Kernel = (3, 3), Stride = (1, 1), Padding = (1, 1) };
        var (outputDiff, gradDiff) = Compare(
            overlapping,
            randint(0, 3, [2, 2, 7, 7], ScalarType.Float64),
            x => F.max_pool2d(x, [3, 3], [1, 1], [1, 1]),
            Pool2dFromScratch.MaxForward,
            Pool2dFromScratch.MaxBackward);
        output.WriteLine($"max with ties: max |Δoutput| {outputDiff:E2}, max |Δ∂x| {gradDiff:E2}");
        // A different winner would move a whole upstream gradient (order 1); sums in another order differ by ~1e-16.
        Assert.Equal(0, outputDiff);
        Assert.InRange(gradDiff, 0, 1e-12);
    }

    [Fact]
    public void InvalidGeometryThrowsNamingTheOption()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 1, 6, 6);
        Assert.Equal("Padding", Assert.Throws<ArgumentOutOfRangeException>(() => Pool2dFromScratch.MaxForward(x, new Pool2dGeometry { Kernel = (2, 2), Padding = (2, 0) })).ParamName);
        Assert.Equal("Kernel", Assert.Throws<ArgumentOutOfRangeException>(() => Pool2dFromScratch.AvgForward(x, new Pool2dGeometry { Kernel = (0, 2) })).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Pool2dFromScratch.AvgBackward(randn(1, 1, 2, 2), x, new Pool2dGeometry { Kernel = (2, 2) })).ParamName);
    }

    private static Pool2dGeometry Geometry(string name) => name switch
    {
        "2x2" => new() { Kernel = (2, 2) },
        "3x3 stride 2 padding 1" => new() { Kernel = (3, 3), Stride = (2, 2), Padding = (1, 1) },
        "overlapping 3x3 stride 1" => new() { Kernel = (3, 3), Stride = (1, 1) },
        "non-square 2x3 stride (1, 2) padding 1" => new() { Kernel = (2, 3), Stride = (1, 2), Padding = (1, 1) },
        "odd size 3x3 stride 2" => new() { Kernel = (3, 3), Stride = (2, 2) },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    // Runs TorchSharp's pooling with autograd and the hand-written passes on the same input and upstream gradient.
    private static (double Output, double Gradient) Compare(
        Pool2dGeometry geometry,
        Tensor input,
        Func<Tensor, Tensor> reference,
        Func<Tensor, Pool2dGeometry, Tensor> forward,
        Func<Tensor, Tensor, Pool2dGeometry, Tensor> backward)
    {
        using var scope = NewDisposeScope();
        var x = input.requires_grad_();
        var expected = reference(x);
        var upstream = randn_like(expected);
        (expected * upstream).sum().backward();
        var actual = forward(x, geometry);
        var gradient = backward(upstream, x, geometry);
        return (MaxDiff(expected, actual), MaxDiff(x.grad!, gradient));
    }
}

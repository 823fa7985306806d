using DeepLearning.Trainers.Diagnostics;
using DeepLearning.Trainers.Diagnostics.FirstPrinciples;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Diagnostics.FirstPrinciples;

/// <summary>
/// The hand-written backward passes against finite differences of the hand-written forward passes
/// (no TorchSharp autograd in the gradients), through the <c>Apply</c> autograd functions.
/// </summary>
public sealed class HandWrittenGradientCheckTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvolutionGradientsPassTheGradientCheck(bool depthwise)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var geometry = depthwise
            ? new Conv2dGeometry { Groups = 4, Padding = (1, 1) }
            : new Conv2dGeometry { Stride = (2, 1), Padding = (1, 2), Dilation = (2, 1), Groups = 2 };
        var x = Randn(2, 4, 7, 8);
        var weight = Randn(depthwise ? 4 : 6, depthwise ? 1 : 2, 3, 3);
        var bias = depthwise ? null : Randn(6);
        var r = randn_like(Conv2dFromScratch.Forward(x, weight, bias, geometry));
        List<(string, Tensor)> tensors = [("input", x), ("weight", weight)];
        if (bias is not null)
        {
            tensors.Add(("bias", bias));
        }

        var result = GradientCheck.Run(() => (Conv2dFromScratch.Apply(x, weight, bias, geometry) * r).sum(), tensors);
        output.WriteLine($"hand-written conv (depthwise {depthwise}): {result}");
        Assert.All(result.TensorErrors, e => Assert.True(e.Value < Tolerance, $"{e.Key}: {e.Value}"));
        Assert.Equal(tensors.Count, result.TensorErrors.Count);
    }

    [Theory]
    [InlineData("max", true)]
    [InlineData("avg", true)]
    [InlineData("avg", false)]
    public void PoolingGradientsPassTheGradientCheck(string kind, bool countIncludePad)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        var geometry = new Pool2dGeometry { Kernel = (3, 2), Stride = (2, 1), Padding = (1, 1), CountIncludePad = countIncludePad };
        Func<Tensor, Pool2dGeometry, Tensor> apply = kind == "max" ? Pool2dFromScratch.ApplyMax : Pool2dFromScratch.ApplyAvg;
        var x = Randn(2, 3, 7, 6);
        var r = randn_like(apply(x, geometry).detach());
        var result = GradientCheck.Run(() => (apply(x, geometry) * r).sum(), [("input", x)]);
        output.WriteLine($"hand-written {kind} pool (count_include_pad {countIncludePad}): {result}");
        Assert.True(result.Passed(Tolerance), result.ToString());
    }

    [Fact]
    public void ApplyGradientsAreTheHandWrittenOnes()
    {
        using var scope = NewDisposeScope();
        var geometry = new Conv2dGeometry { Stride = (2, 2), Padding = (1, 1) };
        var x = Randn(1, 2, 5, 5);
        var weight = Randn(3, 2, 3, 3);
        var bias = Randn(3);
        var y = Conv2dFromScratch.Apply(x, weight, bias, geometry);
        Assert.True(y.requires_grad);
        var upstream = randn_like(y.detach());
        (y * upstream).sum().backward();
        using var expected = Conv2dFromScratch.Backward(upstream, x.detach(), weight.detach(), true, geometry);
        Assert.Equal(0, HandWrittenComparison.MaxDiff(expected.Input, x.grad!));
        Assert.Equal(0, HandWrittenComparison.MaxDiff(expected.Weight, weight.grad!));
        Assert.Equal(0, HandWrittenComparison.MaxDiff(expected.Bias!, bias.grad!));
    }

    private static Tensor Randn(params long[] shape) => randn(shape, dtype: ScalarType.Float64, requires_grad: true);
}

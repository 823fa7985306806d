using static TorchSharp.torch;

namespace DeepLearning.Tests.Diagnostics.FirstPrinciples;

/// <summary>Helpers shared by the tests that compare hand-written passes with TorchSharp's.</summary>
internal static class HandWrittenComparison
{
    /// <summary>A (height, width) pair as TorchSharp's <c>long[]</c> arguments.</summary>
    public static long[] Pair((long Height, long Width) pair) => [pair.Height, pair.Width];

    /// <summary>The largest absolute difference of two tensors of the same shape.</summary>
    public static double MaxDiff(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        return (expected.detach() - actual).abs().max().to(ScalarType.Float64).item<double>();
    }
}

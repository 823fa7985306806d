using static TorchSharp.torch;

namespace DeepLearning.Transforms.Weights;

/// <summary>Converts TensorFlow weight layouts to PyTorch's, for <see cref="WeightLoadOptions.Convert"/>.</summary>
public static class TensorLayouts
{
    /// <summary>A convolution kernel from TensorFlow's HWIO <c>[kh, kw, in, out]</c> to PyTorch's OIHW <c>[out, in, kh, kw]</c>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <exception cref="ArgumentException">The kernel is not of rank 4.</exception>
    public static Tensor ConvolutionFromHwio(Tensor kernel)
        => Rank4(kernel).permute(3, 2, 0, 1).contiguous();

    /// <summary>
    /// A depthwise kernel from TensorFlow's <c>[kh, kw, in, multiplier]</c> to PyTorch's grouped layout
    /// <c>[in · multiplier, 1, kh, kw]</c> (output channel <c>c · multiplier + m</c>, as a grouped convolution orders them).
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <exception cref="ArgumentException">The kernel is not of rank 4.</exception>
    public static Tensor DepthwiseFromHwim(Tensor kernel)
    {
        var (kh, kw, input, multiplier) = (kernel.shape[0], kernel.shape[1], Rank4(kernel).shape[2], kernel.shape[3]);
        return kernel.permute(2, 3, 0, 1).reshape(input * multiplier, 1, kh, kw).contiguous();
    }

    /// <summary>A dense kernel from TensorFlow's <c>[in, out]</c> to PyTorch's <c>[out, in]</c>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <exception cref="ArgumentException">The kernel is not of rank 2.</exception>
    public static Tensor DenseFromInOut(Tensor kernel)
        => kernel.dim() == 2 ? kernel.t().contiguous() : throw new ArgumentException($"A dense kernel has rank 2, not {kernel.dim()} ([{string.Join(", ", kernel.shape)}]).", nameof(kernel));

    private static Tensor Rank4(Tensor kernel)
        => kernel.dim() == 4 ? kernel : throw new ArgumentException($"A convolution kernel has rank 4, not {kernel.dim()} ([{string.Join(", ", kernel.shape)}]).", nameof(kernel));
}

using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// face-api's input preparation on batched tensors: an image is padded with zeros at the bottom or
/// right to a square of side max(height, width), then resized to <c>size</c>² with TensorFlow's
/// legacy bilinear rule (no half-pixel offset: output pixel i samples source s = i · side / size,
/// between source pixels ⌊s⌋ and min(⌊s⌋ + 1, side − 1) with weights 1 − (s − ⌊s⌋) and s − ⌊s⌋).
/// Rows, then columns: two gathers and a weighted sum each; a source pixel in the padding weighs 0,
/// so the padded square is never built.
/// </summary>
internal static class SquareResize
{
    /// <summary>Pads and resizes images <c>[N, C, H, W]</c> to <c>[N, C, size, size]</c> (float32, same device).</summary>
    /// <param name="images">Images (floating point or bytes), all of one size.</param>
    /// <param name="size">Side of the output square; at least 1.</param>
    public static Tensor Apply(Tensor images, int size)
    {
        var (height, width) = (images.shape[^2], images.shape[^1]);
        var side = Math.Max(height, width);
        using var scope = NewDisposeScope();
        if (side == size && height == width)
        {
            return images.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        var rows = Resample(images, 2, size, side, height);
        return Resample(rows, 3, size, side, width).MoveToOuterDisposeScope();
    }

    // Resamples dimension `dim` (of length `used`, the rest of the side being zero padding) to `size`.
    private static Tensor Resample(Tensor x, long dim, int size, long side, long used)
    {
        var source = arange(size, ScalarType.Float64, x.device).mul((double)side / size);
        var lower = source.floor();
        var fraction = source.sub(lower).to_type(ScalarType.Float32);
        var low = lower.to_type(ScalarType.Int64);
        var high = low.add(1).clamp_max(side - 1);
        var lowWeight = fraction.neg().add(1).mul(low.lt(used));
        var highWeight = fraction.mul(high.lt(used));
        long[] shape = dim == 2 ? [size, 1] : [size];
        // Gathered, then converted: the same values as converting first, for a fraction of the pixels.
        return x.index_select(dim, low.clamp_max(used - 1)).to_type(ScalarType.Float32).mul(lowWeight.view(shape))
            .add(x.index_select(dim, high.clamp_max(used - 1)).to_type(ScalarType.Float32).mul(highWeight.view(shape)));
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// face-api's input preparation on batched tensors: an image is padded with zeros at the bottom or
/// right to a square of side max(height, width), then resized to <c>size</c>² with TensorFlow's
/// legacy bilinear rule (no half-pixel offset: output pixel i samples source i · side / size,
/// between source pixels ⌊·⌋ and min(⌊·⌋ + 1, side − 1)). Both steps are one linear map per axis,
/// so the result is <c>Rows · image · Colsᵀ</c> with the padding's zero columns left out.
/// </summary>
internal static class SquareResize
{
    /// <summary>Pads and resizes images <c>[N, C, H, W]</c> to <c>[N, C, size, size]</c> (float32, same device).</summary>
    /// <param name="images">Floating-point images, all of one size.</param>
    /// <param name="size">Side of the output square; at least 1.</param>
    public static Tensor Apply(Tensor images, int size)
    {
        var (height, width) = (images.shape[^2], images.shape[^1]);
        var side = Math.Max(height, width);
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32);
        if (side == size && height == width)
        {
            return x.MoveToOuterDisposeScope();
        }

        var rows = Interpolation(size, side, height, x.device);
        var cols = Interpolation(size, side, width, x.device);
        return rows.matmul(x).matmul(cols.t()).MoveToOuterDisposeScope();
    }

    // [size, used]: output i takes (1 − f) of source ⌊s⌋ and f of source min(⌊s⌋ + 1, side − 1), s = i · side / size; sources ≥ used are padding (zero).
    private static Tensor Interpolation(int size, long side, long used, Device device)
    {
        var source = arange(size, ScalarType.Float64, device).mul((double)side / size);
        var lower = source.floor();
        var fraction = source.sub(lower).to_type(ScalarType.Float32).unsqueeze(1);
        var low = lower.to_type(ScalarType.Int64);
        var high = low.add(1).clamp_max(side - 1);
        var weights = nn.functional.one_hot(low, side).to_type(ScalarType.Float32).mul(fraction.neg().add(1))
            .add(nn.functional.one_hot(high, side).to_type(ScalarType.Float32).mul(fraction));
        return weights[.., ..(int)used];
    }
}

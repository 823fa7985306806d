using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>Per-sample random parameters, as tensors of shape <c>[B]</c> on the input's device.</summary>
internal static class Draw
{
    /// <summary>One uniform value in [<paramref name="low"/>, <paramref name="high"/>) per sample of <paramref name="input"/>.</summary>
    public static Tensor Uniform(Tensor input, Generator generator, double low = 0, double high = 1)
    {
        var u = rand([input.shape[0]], ScalarType.Float32, generator: generator).to(input.device);
        return low == 0 && high == 1 ? u : u.mul(high - low).add(low);
    }

    /// <summary>One value log-uniform in [<paramref name="low"/>, <paramref name="high"/>] per sample (both positive).</summary>
    public static Tensor LogUniform(Tensor input, Generator generator, double low, double high)
        => Uniform(input, generator, Math.Log(low), Math.Log(high)).exp();

    /// <summary>One integer uniform in [0, <paramref name="count"/>) per sample, <paramref name="count"/> a tensor <c>[B]</c> of positive counts.</summary>
    public static Tensor Below(Tensor input, Generator generator, Tensor count)
        => Uniform(input, generator).mul(count).floor().minimum(count - 1).to_type(ScalarType.Int64);

    /// <summary>
    /// Samples <paramref name="input"/> <c>[B, C, H, W]</c> through one affine map per sample,
    /// <paramref name="theta"/> <c>[B, 2, 3]</c> in normalised coordinates (output → input, as
    /// <c>affine_grid</c>), bilinear, outside pixels set to <paramref name="fill"/>.
    /// </summary>
    public static Tensor Affine(Tensor input, Tensor theta, double fill)
    {
        var grid = nn.functional.affine_grid(theta.to_type(input.dtype), input.shape, align_corners: false);
        var shifted = fill == 0 ? input : input - fill;
        var sampled = nn.functional.grid_sample(shifted, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        return fill == 0 ? sampled : sampled + fill;
    }

    /// <summary>Stacks per-sample rows <c>[B]</c> into affine matrices <c>[B, 2, 3]</c>.</summary>
    public static Tensor Theta(Tensor a, Tensor b, Tensor tx, Tensor c, Tensor d, Tensor ty)
        => stack([a, b, tx, c, d, ty], 1).view(-1, 2, 3);

    /// <summary>A well-mixed generator seed of (seed, epoch, batch): the SplitMix64 finaliser folded over the three.</summary>
    public static ulong BatchSeed(int seed, int epoch, int batchNumber)
        => unchecked(Mix(Mix(Mix((uint)seed) + (uint)epoch) + (uint)batchNumber));

    private static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

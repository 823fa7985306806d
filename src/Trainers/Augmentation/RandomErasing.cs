using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Random erasing (Zhong et al.): per selected sample, one rectangle of a random fraction of the
/// area and a random aspect ratio (log-uniform) at a random position, set on every channel to
/// <see cref="Value"/> or, with <see cref="Noise"/>, to standard normal noise. Pixels outside the
/// rectangle are unchanged.
/// </summary>
[RegisteredName("random-erasing")]
public sealed record RandomErasing : AugmentationStep
{
    /// <summary>Creates an erasing applied with probability 0.5.</summary>
    public RandomErasing() => Probability = 0.5;

    /// <summary>The lower bound of the rectangle's fraction of the image area. Default 0.02; range [1e-6, 1], at most <see cref="MaxArea"/>.</summary>
    public double MinArea { get; init; } = 0.02;

    /// <summary>The upper bound of the rectangle's fraction of the image area. Default 0.33; range [1e-6, 1].</summary>
    public double MaxArea { get; init; } = 0.33;

    /// <summary>The lower bound of the rectangle's width / height ratio. Default 0.3; range [0.01, 100], at most <see cref="MaxRatio"/>.</summary>
    public double MinRatio { get; init; } = 0.3;

    /// <summary>The upper bound of the rectangle's width / height ratio. Default 3.3; range [0.01, 100].</summary>
    public double MaxRatio { get; init; } = 3.3;

    /// <summary>The value written into the rectangle when <see cref="Noise"/> is off. Default 0; any finite number.</summary>
    public double Value { get; init; }

    /// <summary>Whether the rectangle is filled with standard normal noise instead of <see cref="Value"/>. Default <see langword="false"/>.</summary>
    public bool Noise { get; init; }

    private protected override void ValidateOptions()
    {
        Check.Interval(MinArea, MaxArea, 1e-6, 1, this, nameof(MinArea), nameof(MaxArea));
        Check.Interval(MinRatio, MaxRatio, 0.01, 100, this, nameof(MinRatio), nameof(MaxRatio));
        Check.Finite(Value, this, nameof(Value));
    }

    private protected override Tensor Transform(Tensor input, Generator generator)
        => where(Rectangles(input, generator), Fill(input, generator), input);

    /// <summary>The erased pixels, <c>[B, 1, H, W]</c>: one rectangle per sample.</summary>
    internal Tensor Rectangles(Tensor input, Generator generator)
    {
        var (b, h, w) = (input.shape[0], input.shape[2], input.shape[3]);
        var area = Draw.Uniform(input, generator, MinArea, MaxArea) * (h * w);
        var ratio = Draw.LogUniform(input, generator, MinRatio, MaxRatio);
        var height = area.div(ratio).sqrt().round().clamp(1, h).to_type(ScalarType.Int64);
        var width = area.mul(ratio).sqrt().round().clamp(1, w).to_type(ScalarType.Int64);
        var top = Draw.Below(input, generator, h - height + 1).view(b, 1, 1, 1);
        var left = Draw.Below(input, generator, w - width + 1).view(b, 1, 1, 1);
        var rows = arange(h, device: input.device).view(1, 1, h, 1);
        var cols = arange(w, device: input.device).view(1, 1, 1, w);
        return rows.ge(top).logical_and(rows.lt(top + height.view(b, 1, 1, 1)))
            .logical_and(cols.ge(left)).logical_and(cols.lt(left + width.view(b, 1, 1, 1)));
    }

    private Tensor Fill(Tensor input, Generator generator)
        => Noise ? randn(input.shape, input.dtype, generator: generator).to(input.device) : full_like(input, Value);
}

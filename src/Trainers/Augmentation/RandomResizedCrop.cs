using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Inception-style random resized crop: per sample, a rectangle of a random fraction of the area
/// and a random aspect ratio (log-uniform) at a random position, resized bilinearly back to the
/// input size. Unlike TorchVision, a rectangle too large for the image is clamped to its side
/// rather than redrawn. Boxes are scaled and shifted with the crop.
/// </summary>
[RegisteredName("random-resized-crop")]
public sealed record RandomResizedCrop : AugmentationStep
{
    /// <summary>The lower bound of the crop's fraction of the image area. Default 0.08; range [1e-6, 1], at most <see cref="MaxArea"/>.</summary>
    public double MinArea { get; init; } = 0.08;

    /// <summary>The upper bound of the crop's fraction of the image area. Default 1; range [1e-6, 1].</summary>
    public double MaxArea { get; init; } = 1;

    /// <summary>The lower bound of the crop's width / height ratio. Default 3/4; range [0.01, 100], at most <see cref="MaxRatio"/>.</summary>
    public double MinRatio { get; init; } = 3.0 / 4;

    /// <summary>The upper bound of the crop's width / height ratio. Default 4/3; range [0.01, 100].</summary>
    public double MaxRatio { get; init; } = 4.0 / 3;

    private protected override void ValidateOptions()
    {
        Check.Interval(MinArea, MaxArea, 1e-6, 1, this, nameof(MinArea), nameof(MaxArea));
        Check.Interval(MinRatio, MaxRatio, 0.01, 100, this, nameof(MinRatio), nameof(MaxRatio));
    }

    private protected override Tensor Transform(Tensor input, Generator generator)
        => Draw.Affine(input, Theta(input, generator), 0);

    private protected override (Tensor Images, Tensor? Boxes) Transform(Tensor input, Tensor boxes, Generator generator)
    {
        var theta = Theta(input, generator);
        return (Draw.Affine(input, theta, 0), BoxGeometry.Affine(boxes, theta));
    }

    /// <summary>Each sample's crop as an output → input map <c>[B, 2, 3]</c>.</summary>
    private Tensor Theta(Tensor input, Generator generator)
    {
        var area = Draw.Uniform(input, generator, MinArea, MaxArea);
        var ratio = Draw.LogUniform(input, generator, MinRatio, MaxRatio);

        // Width and height as fractions of the image's (an area fraction is their product).
        var width = area.mul(ratio).sqrt().clamp_max(1);
        var height = area.div(ratio).sqrt().clamp_max(1);
        var cx = (Draw.Uniform(input, generator, -1, 1) * (1 - width)).to_type(ScalarType.Float32);
        var cy = (Draw.Uniform(input, generator, -1, 1) * (1 - height)).to_type(ScalarType.Float32);
        var zero = zeros_like(width);
        return Draw.Theta(width, zero, cx, zero, height, cy);
    }
}

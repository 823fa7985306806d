using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// One random affine transform per sample — rotation, scale and translation about the image
/// centre — resampled bilinearly with <c>affine_grid</c>/<c>grid_sample</c>; pixels from outside
/// the image are <see cref="Fill"/>. Rotation is in pixel space, so non-square images are not
/// sheared. With no rotation, scale 1 and no translation it is the identity. A box moves to the
/// envelope of its four moved corners (exact without rotation; larger than the object when rotated).
/// </summary>
[RegisteredName("random-affine")]
public sealed record RandomAffine : AugmentationStep
{
    /// <summary>The angle is uniform in ±this many degrees. Default 0; range [0, 180].</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>The shift along each axis is uniform in ±this fraction of the image size. Default 0; range [0, 1].</summary>
    public double MaxTranslation { get; init; }

    /// <summary>The lower bound of the zoom factor (uniform). Default 1; range [0.001, 10], at most <see cref="MaxScale"/>.</summary>
    public double MinScale { get; init; } = 1;

    /// <summary>The upper bound of the zoom factor (uniform; above 1 zooms in). Default 1; range [0.001, 10].</summary>
    public double MaxScale { get; init; } = 1;

    /// <summary>The value of pixels from outside the image. Default 0; any finite number.</summary>
    public double Fill { get; init; }

    private protected override void ValidateOptions()
    {
        Check.Range(MaxRotationDegrees, 0, 180, this, nameof(MaxRotationDegrees));
        Check.Range(MaxTranslation, 0, 1, this, nameof(MaxTranslation));
        Check.Interval(MinScale, MaxScale, 1e-3, 10, this, nameof(MinScale), nameof(MaxScale));
        Check.Finite(Fill, this, nameof(Fill));
    }

    private protected override Tensor Transform(Tensor input, Generator generator)
        => Draw.Affine(input, Theta(input, generator), Fill);

    private protected override (Tensor Images, Tensor? Boxes) Transform(Tensor input, Tensor boxes, Generator generator)
    {
        var theta = Theta(input, generator);
        return (Draw.Affine(input, theta, Fill), BoxGeometry.Affine(boxes, theta));
    }

    /// <summary>Each sample's drawn map <c>[B, 2, 3]</c>.</summary>
    private Tensor Theta(Tensor input, Generator generator)
    {
        var aspect = (double)input.shape[2] / input.shape[3];
        var angle = Draw.Uniform(input, generator, -MaxRotationDegrees, MaxRotationDegrees).mul(Math.PI / 180);
        var scale = Draw.Uniform(input, generator, MinScale, MaxScale);
        var tx = Draw.Uniform(input, generator, -2 * MaxTranslation, 2 * MaxTranslation);
        var ty = Draw.Uniform(input, generator, -2 * MaxTranslation, 2 * MaxTranslation);
        return Theta(angle, scale, tx, ty, aspect);
    }

    /// <summary>
    /// The output → input maps <c>[B, 2, 3]</c> in normalised coordinates of rotations by
    /// <paramref name="angle"/> (radians, <c>[B]</c>), zooms by <paramref name="scale"/> and shifts by
    /// (<paramref name="tx"/>, <paramref name="ty"/>) (normalised), for images of height / width <paramref name="aspect"/>:
    /// the pixel-space rotation conjugated by the aspect, so non-square images are not sheared.
    /// </summary>
    internal static Tensor Theta(Tensor angle, Tensor scale, Tensor tx, Tensor ty, double aspect)
    {
        var cos = angle.cos().div(scale);
        var sin = angle.sin().div(scale);
        return Draw.Theta(cos, -sin * aspect, -tx, sin / aspect, cos, -ty);
    }
}

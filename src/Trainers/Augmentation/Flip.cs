using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>Which way a <see cref="Flip"/> mirrors images.</summary>
public enum FlipAxis
{
    /// <summary>Left–right (mirrors the width axis).</summary>
    Horizontal,

    /// <summary>Top–bottom (mirrors the height axis).</summary>
    Vertical,
}

/// <summary>Mirrors each selected sample, and its boxes with it. Flipping twice is the identity.</summary>
[RegisteredName("flip")]
public sealed record Flip : AugmentationStep
{
    /// <summary>Creates a horizontal flip applied with probability 0.5.</summary>
    public Flip() => Probability = 0.5;

    /// <summary>The axis mirrored. Default <see cref="FlipAxis.Horizontal"/>.</summary>
    public FlipAxis Axis { get; init; } = FlipAxis.Horizontal;

    private protected override void ValidateOptions() => OptionCheck.RequireDefined(Axis, nameof(Flip) + "." + nameof(Axis));

    private protected override Tensor Transform(Tensor input, Generator generator)
        => input.flip(Axis == FlipAxis.Horizontal ? 3 : 2);

    private protected override (Tensor Images, Tensor? Boxes) Transform(Tensor input, Tensor boxes, Generator generator)
        => (Transform(input, generator), Axis == FlipAxis.Horizontal ? BoxGeometry.FlipHorizontal(boxes) : BoxGeometry.FlipVertical(boxes));
}

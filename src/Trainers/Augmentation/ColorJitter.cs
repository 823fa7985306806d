using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Colour jitter: per sample, brightness, contrast and saturation factors uniform in
/// 1 ± strength, applied in that order (TorchVision shuffles the order). Brightness scales the
/// pixels; contrast blends with the image's mean grey; saturation blends with each pixel's grey
/// (ITU-R 601 luma) and needs 3 channels. Values are not clamped, so normalised inputs work.
/// A strength of 0 leaves the images unchanged.
/// </summary>
[RegisteredName("color-jitter")]
public sealed record ColorJitter : AugmentationStep
{
    /// <summary>Brightness factor in 1 ± this. Default 0; range [0, 1].</summary>
    public double Brightness { get; init; }

    /// <summary>Contrast factor in 1 ± this. Default 0; range [0, 1].</summary>
    public double Contrast { get; init; }

    /// <summary>Saturation factor in 1 ± this; above 0 needs 3 channels. Default 0; range [0, 1].</summary>
    public double Saturation { get; init; }

    private protected override void ValidateOptions()
    {
        Check.Range(Brightness, 0, 1, this, nameof(Brightness));
        Check.Range(Contrast, 0, 1, this, nameof(Contrast));
        Check.Range(Saturation, 0, 1, this, nameof(Saturation));
    }

    private protected override Tensor Transform(Tensor input, Generator generator)
    {
        if (Saturation > 0 && input.shape[1] != 3)
        {
            throw new InvalidOperationException($"{nameof(ColorJitter)}.{nameof(Saturation)} needs images of 3 channels, not {input.shape[1]}.");
        }

        var x = input;
        if (Brightness > 0)
        {
            x = x * Factor(input, generator, Brightness);
        }

        if (Contrast > 0)
        {
            x = Blend(x, Grey(x).mean([1, 2, 3], keepdim: true), Factor(input, generator, Contrast));
        }

        if (Saturation > 0)
        {
            x = Blend(x, Grey(x), Factor(input, generator, Saturation));
        }

        return x;
    }

    private static Tensor Factor(Tensor input, Generator generator, double strength)
        => Draw.Uniform(input, generator, 1 - strength, 1 + strength).to_type(input.dtype).view(-1, 1, 1, 1);

    /// <summary><c>grey + factor · (x − grey)</c>.</summary>
    private static Tensor Blend(Tensor x, Tensor grey, Tensor factor) => grey + (factor * (x - grey));

    /// <summary>Per-pixel grey <c>[B, 1, H, W]</c>: luma for 3 channels, else the channel mean.</summary>
    private static Tensor Grey(Tensor x)
    {
        if (x.shape[1] != 3)
        {
            return x.mean([1], keepdim: true);
        }

        var weights = tensor(new float[] { 0.299f, 0.587f, 0.114f }, device: x.device).to_type(x.dtype).view(1, 3, 1, 1);
        return (x * weights).sum(1, keepdim: true);
    }
}

using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// CIFAR-style random crop: pads each image by <see cref="Padding"/> pixels on every side with
/// <see cref="Fill"/> and crops the original size at a random offset per sample, i.e. an integer
/// translation by up to <see cref="Padding"/> pixels each way. Keeps the shape; exact (no interpolation).
/// </summary>
[RegisteredName("random-crop")]
public sealed record RandomCrop : AugmentationStep
{
    /// <summary>Pixels of padding on each side. Default 4; range [0, 1024].</summary>
    public int Padding { get; init; } = 4;

    /// <summary>The value of padded pixels. Default 0; any finite number.</summary>
    public double Fill { get; init; }

    private protected override void ValidateOptions()
    {
        Check.Range(Padding, 0, 1024, this, nameof(Padding));
        Check.Finite(Fill, this, nameof(Fill));
    }

    private protected override Tensor Transform(Tensor input, Generator generator)
    {
        var (b, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var p = Padding;
        var padded = nn.functional.pad(input, [p, p, p, p], TorchSharp.PaddingModes.Constant, Fill);
        var span = full([b], (2 * p) + 1, ScalarType.Int64, device: input.device);
        var top = Draw.Below(input, generator, span);
        var left = Draw.Below(input, generator, span);
        var rows = (top.view(b, 1) + arange(h, device: input.device)).view(b, 1, h, 1).expand(b, c, h, w + (2 * p));
        var cols = (left.view(b, 1) + arange(w, device: input.device)).view(b, 1, 1, w).expand(b, c, h, w);
        return padded.gather(2, rows).gather(3, cols);
    }
}

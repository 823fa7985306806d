using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// CIFAR-style random crop: pads each image by <see cref="Padding"/> pixels on every side with
/// <see cref="Fill"/> and crops the original size at a random offset per sample, i.e. an integer
/// translation by up to <see cref="Padding"/> pixels each way, which moves boxes by the same shift.
/// Keeps the shape; exact (no interpolation).
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
        var (top, left) = Offsets(input, generator);
        return Crop(input, top, left);
    }

    private protected override (Tensor Images, Tensor? Boxes) Transform(Tensor input, Tensor boxes, Generator generator)
    {
        var (top, left) = Offsets(input, generator);
        var (h, w) = (input.shape[2], input.shape[3]);

        // Output pixel (r, c) is input pixel (r + top − p, c + left − p): content moves by (p − left, p − top).
        var dx = (Padding - left).to_type(ScalarType.Float32) / w;
        var dy = (Padding - top).to_type(ScalarType.Float32) / h;
        return (Crop(input, top, left), BoxGeometry.Shift(boxes, dx, dy));
    }

    /// <summary>Each sample's crop offset in the padded image, <c>[B]</c> each, in [0, 2·<see cref="Padding"/>].</summary>
    private (Tensor Top, Tensor Left) Offsets(Tensor input, Generator generator)
    {
        var span = full([input.shape[0]], (2 * Padding) + 1, ScalarType.Int64, device: input.device);
        var top = Draw.Below(input, generator, span);
        var left = Draw.Below(input, generator, span);
        return (top, left);
    }

    private Tensor Crop(Tensor input, Tensor top, Tensor left)
    {
        var (b, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var p = Padding;
        var padded = nn.functional.pad(input, [p, p, p, p], TorchSharp.PaddingModes.Constant, Fill);
        var rows = (top.view(b, 1) + arange(h, device: input.device)).view(b, 1, h, 1).expand(b, c, h, w + (2 * p));
        var cols = (left.view(b, 1) + arange(w, device: input.device)).view(b, 1, 1, w).expand(b, c, h, w);
        return padded.gather(2, rows).gather(3, cols);
    }
}

using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018) as in torchvision: inverted residual blocks from the
/// <c>(t, c, n, s)</c> table (expansion, channels, repeats, first stride), ReLU6, a 1280-channel last
/// convolution and a dropout-linear classifier.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record MobileNetV2Spec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "mobilenet-v2";

    /// <summary>Multiplies every channel count (rounded to a multiple of 8). Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// Makes the stem convolution and the first stride-2 block stride 1 (total stride 8 instead of 32),
    /// for 28–64 px inputs. Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <summary>The inverted residual table: expansion t, output channels c, repeats n, first stride s.</summary>
    internal static IReadOnlyList<(int T, int C, int N, int S)> Blocks { get; } =
    [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ];

    /// <inheritdoc />
    protected override int MinimumInputSize => 1;

    /// <inheritdoc />
    public override void Validate()
    {
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new MobileNetV2(this);
}

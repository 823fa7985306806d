using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// MobileNet v1 (Howard et al. 2017): a 3×3 stride-2 stem and 13 depthwise-separable blocks
/// (3×3 depthwise conv-bn-ReLU, 1×1 pointwise conv-bn-ReLU) from the <c>(channels, stride)</c> table,
/// global average pool and a linear head. 4.2 M parameters at 1000 classes and width 1.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record MobileNetV1Spec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "mobilenet-v1";

    /// <summary>The width multiplier α of the paper: multiplies every channel count. Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// Makes the stem and the first stride-2 block stride 1 (total stride 8 instead of 32), for
    /// 28–64 px inputs. Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <summary>The depthwise-separable blocks: pointwise output channels and depthwise stride.</summary>
    internal static IReadOnlyList<(int Channels, int Stride)> Blocks { get; } =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
        (1024, 2), (1024, 1),
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
    public override nn.Module<Tensor, Tensor> Build() => new MobileNetV1(this);
}

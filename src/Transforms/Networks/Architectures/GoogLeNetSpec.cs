using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// GoogLeNet (Inception v1, Szegedy et al. 2014) as in torchvision: a convolution stem, nine
/// inception blocks (3a–5b) with max pools between stages, global average pool, dropout 0.2 and a
/// linear head; optional auxiliary classifiers after blocks 4a and 4d for training.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record GoogLeNetSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "googlenet";

    /// <summary>
    /// Adds the auxiliary classifiers <c>aux1</c> and <c>aux2</c>; their outputs come from
    /// <see cref="GoogLeNet.ForwardWithAuxiliary"/> in training mode. Default <see langword="false"/>.
    /// </summary>
    public bool AuxiliaryHeads { get; init; }

    /// <summary>Multiplies every channel count. Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// Replaces the 7×7 stride-2 first convolution with a 3×3 stride-1 one and drops the two stem
    /// max pools (total stride 4 instead of 32), for 28–64 px inputs. Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <summary>
    /// The inception blocks: name, 1×1 maps, 3×3 reduction and maps, "5×5" reduction and maps (3×3
    /// kernels, as torchvision), pool projection, and the max pool kernel that follows (0: none).
    /// </summary>
    internal static IReadOnlyList<(string Name, int C1, int C3Reduce, int C3, int C5Reduce, int C5, int PoolProjection, int PoolAfter)> Blocks { get; } =
    [
        ("inception3a", 64, 96, 128, 16, 32, 32, 0),
        ("inception3b", 128, 128, 192, 32, 96, 64, 3),
        ("inception4a", 192, 96, 208, 16, 48, 64, 0),
        ("inception4b", 160, 112, 224, 24, 64, 64, 0),
        ("inception4c", 128, 128, 256, 24, 64, 64, 0),
        ("inception4d", 112, 144, 288, 32, 64, 64, 0),
        ("inception4e", 256, 160, 320, 32, 128, 128, 2),
        ("inception5a", 256, 160, 320, 32, 128, 128, 0),
        ("inception5b", 384, 192, 384, 48, 128, 128, 0),
    ];

    /// <inheritdoc />
    protected override int MinimumInputSize => SmallestInput(size =>
    {
        var x = size;
        if (!SmallInput)
        {
            x = ConvLayers.OutputSize(x, 7, 2, 3);
            x = ConvLayers.OutputSize(x, 3, 2, ceil: true);
            x = ConvLayers.OutputSize(x, 3, 2, ceil: true);
        }

        x = ConvLayers.OutputSize(x, 3, 2, ceil: true);
        x = ConvLayers.OutputSize(x, 2, 2, ceil: true);
        return x;
    });

    /// <inheritdoc />
    public override void Validate()
    {
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new GoogLeNet(this);
}

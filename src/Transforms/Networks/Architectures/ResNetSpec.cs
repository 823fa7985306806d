using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>The depths of <see cref="ResNet"/>.</summary>
public enum ResNetVariant
{
    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2], 64–512 channels (11.7 M parameters at 1000 classes).</summary>
    ResNet18,

    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3], 64–512 channels.</summary>
    ResNet34,

    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3], 256–2048 output channels.</summary>
    ResNet50,

    /// <summary>ResNet-101: bottleneck blocks [3, 4, 23, 3].</summary>
    ResNet101,

    /// <summary>ResNet-152: bottleneck blocks [3, 8, 36, 3].</summary>
    ResNet152,

    /// <summary>CIFAR ResNet-20 (He et al. 2015, §4.2): 3 stages of 3 basic blocks, 16/32/64 channels.</summary>
    ResNet20,

    /// <summary>CIFAR ResNet-32: 3 stages of 5 basic blocks.</summary>
    ResNet32,

    /// <summary>CIFAR ResNet-44: 3 stages of 7 basic blocks.</summary>
    ResNet44,

    /// <summary>CIFAR ResNet-56: 3 stages of 9 basic blocks.</summary>
    ResNet56,

    /// <summary>CIFAR ResNet-110: 3 stages of 18 basic blocks.</summary>
    ResNet110,
}

/// <summary>
/// A residual network (<see cref="ResNet"/>): torchvision's ResNet-18/34/50/101/152 or the CIFAR
/// ResNets of He et al. (20/32/44/56/110; 3×3 stem, no max pool, option-A shortcuts).
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record ResNetSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "resnet";

    /// <summary>The depth. Default <see cref="ResNetVariant.ResNet18"/>.</summary>
    public ResNetVariant Variant { get; init; } = ResNetVariant.ResNet18;

    /// <summary>Multiplies every channel count (base 64, or 16 for CIFAR variants). Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// Replaces the 7×7 stride-2 stem and its max pool with a 3×3 stride-1 convolution, for 28–64 px
    /// inputs. Default <see langword="false"/>. CIFAR variants always use that stem.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <summary>
    /// CIFAR variants: 1×1 projection shortcuts (option B, keys <c>layerS.0.downsample.0</c>/<c>.1</c>)
    /// where the shape changes, instead of the paper's parameter-free zero padding (option A).
    /// Default <see langword="false"/>. The ImageNet variants always use projections, as torchvision.
    /// </summary>
    public bool ProjectionShortcuts { get; init; }

    /// <summary>Block kind, blocks per stage, base width and CIFAR flag of <see cref="Variant"/>.</summary>
    internal (bool Bottleneck, int[] Blocks, int BaseWidth, bool Cifar) Layout => Variant switch
    {
        ResNetVariant.ResNet18 => (false, [2, 2, 2, 2], 64, false),
        ResNetVariant.ResNet34 => (false, [3, 4, 6, 3], 64, false),
        ResNetVariant.ResNet50 => (true, [3, 4, 6, 3], 64, false),
        ResNetVariant.ResNet101 => (true, [3, 4, 23, 3], 64, false),
        ResNetVariant.ResNet152 => (true, [3, 8, 36, 3], 64, false),
        ResNetVariant.ResNet20 => (false, [3, 3, 3], 16, true),
        ResNetVariant.ResNet32 => (false, [5, 5, 5], 16, true),
        ResNetVariant.ResNet44 => (false, [7, 7, 7], 16, true),
        ResNetVariant.ResNet56 => (false, [9, 9, 9], 16, true),
        ResNetVariant.ResNet110 => (false, [18, 18, 18], 16, true),
        _ => throw new ArgumentOutOfRangeException(nameof(Variant), Variant, "Unknown ResNet variant."),
    };

    /// <inheritdoc />
    protected override int MinimumInputSize => 1;

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.RequireDefined(Variant, nameof(Variant));
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new ResNet(this);
}

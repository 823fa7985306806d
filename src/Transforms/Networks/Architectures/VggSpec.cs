using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>The depths of <see cref="Vgg"/> (configurations A, B, D and E of Simonyan and Zisserman).</summary>
public enum VggVariant
{
    /// <summary>VGG-11 (configuration A): 8 convolutions.</summary>
    Vgg11,

    /// <summary>VGG-13 (configuration B): 10 convolutions.</summary>
    Vgg13,

    /// <summary>VGG-16 (configuration D): 13 convolutions (138.4 M parameters at 1000 classes).</summary>
    Vgg16,

    /// <summary>VGG-19 (configuration E): 16 convolutions.</summary>
    Vgg19,
}

/// <summary>
/// VGG (Simonyan and Zisserman 2014) as in torchvision: 3×3 convolutions with optional batch norm,
/// five 2×2 max pools, a 7×7 adaptive average pool and a three-layer classifier with dropout 0.5.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record VggSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "vgg";

    /// <summary>The depth. Default <see cref="VggVariant.Vgg16"/>.</summary>
    public VggVariant Variant { get; init; } = VggVariant.Vgg16;

    /// <summary>Batch norm after every convolution (torchvision's <c>vgg16_bn</c>). Default <see langword="false"/>.</summary>
    public bool BatchNormalization { get; init; }

    /// <summary>Multiplies every channel count and the classifier width. Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// For 16–64 px inputs: drops the last max pool, pools to 1×1 instead of 7×7 and narrows the
    /// classifier's hidden layers from 4096 to 512 (as CIFAR VGGs). Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <summary>The layer configuration of <see cref="Variant"/>: output channels of each 3×3 convolution, 0 for a max pool.</summary>
    internal IReadOnlyList<int> Layers => Variant switch
    {
        VggVariant.Vgg11 => [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        VggVariant.Vgg13 => [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        VggVariant.Vgg16 => [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
        VggVariant.Vgg19 => [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0],
        _ => throw new ArgumentOutOfRangeException(nameof(Variant), Variant, "Unknown VGG variant."),
    };

    /// <inheritdoc />
    protected override int MinimumInputSize => SmallInput ? 16 : 32;

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.RequireDefined(Variant, nameof(Variant));
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new Vgg(this);
}

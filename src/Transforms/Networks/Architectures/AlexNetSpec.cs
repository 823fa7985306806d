using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// AlexNet (Krizhevsky et al. 2012) in torchvision's single-tower layout: five convolutions, three
/// max pools, a 6×6 adaptive average pool and a three-layer classifier with dropout 0.5.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record AlexNetSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "alexnet";

    /// <summary>Multiplies every channel count and the classifier width. Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <summary>
    /// Replaces the 11×11 stride-4 first convolution with a 3×3 stride-1 one, for 28–64 px inputs.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <inheritdoc />
    protected override int MinimumInputSize => SmallestInput(size =>
    {
        var x = SmallInput ? size : ConvLayers.OutputSize(size, 11, 4, 2);
        x = ConvLayers.OutputSize(x, 3, 2);
        x = ConvLayers.OutputSize(x, 3, 2);
        return ConvLayers.OutputSize(x, 3, 2);
    });

    /// <inheritdoc />
    public override void Validate()
    {
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new AlexNet(this);
}

using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// A small CNN for 28×28 images such as Fashion-MNIST: two blocks of 3×3 convolution, batch norm,
/// ReLU and 2×2 max pool (32 and 64 maps), then a 128-unit hidden layer with dropout 0.5.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record SmallCnnSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "small-cnn";

    /// <summary>Creates a spec for 1×28×28 inputs and 10 classes.</summary>
    public SmallCnnSpec()
    {
        InputChannels = 1;
        InputHeight = 28;
        InputWidth = 28;
        OutputSize = 10;
    }

    /// <summary>Multiplies the channel counts (32, 64) and the hidden layer (128). Default 1; in (0, 4].</summary>
    public double WidthMultiplier { get; init; } = 1;

    /// <inheritdoc />
    protected override int MinimumInputSize => 4;

    /// <inheritdoc />
    public override void Validate()
    {
        RequireWidth(WidthMultiplier, nameof(WidthMultiplier));
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new SmallCnn(this);
}

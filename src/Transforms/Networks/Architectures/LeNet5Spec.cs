using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The classic LeNet-5 (LeCun et al. 1998) for 32×32 digits: 5×5 convolutions with 6 and 16 maps,
/// tanh and 2×2 average pooling, then fully connected layers of 120 and 84 units. No width multiplier.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record LeNet5Spec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "lenet-5";

    /// <summary>Creates a spec for 1×32×32 inputs and 10 classes.</summary>
    public LeNet5Spec()
    {
        InputChannels = 1;
        InputHeight = 32;
        InputWidth = 32;
        OutputSize = 10;
    }

    /// <summary>
    /// Pads the first convolution by 2, so that 28×28 inputs (MNIST) are seen as the classic 32×32.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool SmallInput { get; init; }

    /// <inheritdoc />
    protected override int MinimumInputSize => SmallestInput(FinalSize);

    /// <summary>Size of the last feature map for an input of size <paramref name="size"/> (5 for 32, or for 28 with <see cref="SmallInput"/>).</summary>
    internal int FinalSize(int size)
    {
        var x = ConvLayers.OutputSize(size, 5, 1, SmallInput ? 2 : 0);
        x = ConvLayers.OutputSize(x, 2, 2);
        x = ConvLayers.OutputSize(x, 5, 1);
        return ConvLayers.OutputSize(x, 2, 2);
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new LeNet5(this);
}

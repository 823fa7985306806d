using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The small CNN built from a <see cref="SmallCnnSpec"/>. Keys: backbone <c>features</c> (<c>0</c> and
/// <c>2</c> conv-bn-ReLU blocks with children <c>0</c> conv, <c>1</c> batch norm; <c>1</c> and <c>3</c> max
/// pools), head <c>classifier</c> (<c>0</c> linear, <c>1</c> ReLU, <c>2</c> dropout, <c>3</c> linear).
/// </summary>
public sealed class SmallCnn : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public SmallCnn(SmallCnnSpec spec)
        : base(nameof(SmallCnn))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var first = ConvLayers.Scale(32, spec.WidthMultiplier);
        var second = ConvLayers.Scale(64, spec.WidthMultiplier);
        var hidden = ConvLayers.Scale(128, spec.WidthMultiplier);
        features = nn.Sequential(
            ConvLayers.ConvBn(spec.InputChannels, first, 3),
            nn.MaxPool2d(2, stride: 2),
            ConvLayers.ConvBn(first, second, 3),
            nn.MaxPool2d(2, stride: 2));
        FeatureSize = second * (spec.InputHeight / 4) * (spec.InputWidth / 4);
        classifier = nn.Sequential(
            nn.Linear(FeatureSize, hidden),
            nn.ReLU(inplace: true),
            nn.Dropout(0.5),
            nn.Linear(hidden, spec.OutputSize));
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public SmallCnnSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;
}

using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// AlexNet built from an <see cref="AlexNetSpec"/>, with torchvision's state_dict keys: backbone
/// <c>features</c> (convolutions at <c>0</c>, <c>3</c>, <c>6</c>, <c>8</c>, <c>10</c>; ReLUs and max pools
/// between), adaptive average pool to 6×6, head <c>classifier</c> (<c>0</c> dropout, <c>1</c> linear,
/// <c>2</c> ReLU, <c>3</c> dropout, <c>4</c> linear, <c>5</c> ReLU, <c>6</c> linear).
/// </summary>
public sealed class AlexNet : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public AlexNet(AlexNetSpec spec)
        : base(nameof(AlexNet))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        long C(long channels) => ConvLayers.Scale(channels, spec.WidthMultiplier);
        features = nn.Sequential(
            spec.SmallInput
                ? nn.Conv2d(spec.InputChannels, C(64), 3, padding: 1)
                : nn.Conv2d(spec.InputChannels, C(64), 11, stride: 4, padding: 2),
            nn.ReLU(inplace: true),
            nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(C(64), C(192), 5, padding: 2),
            nn.ReLU(inplace: true),
            nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(C(192), C(384), 3, padding: 1),
            nn.ReLU(inplace: true),
            nn.Conv2d(C(384), C(256), 3, padding: 1),
            nn.ReLU(inplace: true),
            nn.Conv2d(C(256), C(256), 3, padding: 1),
            nn.ReLU(inplace: true),
            nn.MaxPool2d(3, stride: 2));
        avgpool = nn.AdaptiveAvgPool2d([6, 6]);
        FeatureSize = C(256) * 6 * 6;
        classifier = nn.Sequential(
            nn.Dropout(0.5),
            nn.Linear(FeatureSize, C(4096)),
            nn.ReLU(inplace: true),
            nn.Dropout(0.5),
            nn.Linear(C(4096), C(4096)),
            nn.ReLU(inplace: true),
            nn.Linear(C(4096), spec.OutputSize));
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public AlexNetSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Pool => avgpool;
}

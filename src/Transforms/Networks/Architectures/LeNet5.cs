using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// LeNet-5 built from a <see cref="LeNet5Spec"/>. Keys: backbone <c>features</c> (<c>0</c> conv 6@5×5,
/// <c>1</c> tanh, <c>2</c> average pool, <c>3</c> conv 16@5×5, <c>4</c> tanh, <c>5</c> average pool), head
/// <c>classifier</c> (<c>0</c> linear 120, <c>1</c> tanh, <c>2</c> linear 84, <c>3</c> tanh, <c>4</c> linear).
/// PyTorch's default initialisation.
/// </summary>
public sealed class LeNet5 : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public LeNet5(LeNet5Spec spec)
        : base(nameof(LeNet5))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        features = nn.Sequential(
            nn.Conv2d(spec.InputChannels, 6, 5, padding: spec.SmallInput ? 2 : 0),
            nn.Tanh(),
            nn.AvgPool2d(2, stride: 2),
            nn.Conv2d(6, 16, 5),
            nn.Tanh(),
            nn.AvgPool2d(2, stride: 2));
        FeatureSize = 16L * spec.FinalSize(spec.InputHeight) * spec.FinalSize(spec.InputWidth);
        classifier = nn.Sequential(
            nn.Linear(FeatureSize, 120),
            nn.Tanh(),
            nn.Linear(120, 84),
            nn.Tanh(),
            nn.Linear(84, spec.OutputSize));
        RegisterComponents();
    }

    /// <summary>The architecture this network was built from.</summary>
    public LeNet5Spec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;
}

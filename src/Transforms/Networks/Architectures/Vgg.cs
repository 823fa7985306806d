using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// VGG built from a <see cref="VggSpec"/>, with torchvision's state_dict keys: backbone
/// <c>features</c> (<c>features.N</c>: convolution, [batch norm,] ReLU, …, max pool), adaptive average
/// pool to 7×7 (1×1 for small inputs), head <c>classifier</c> (<c>0</c> linear, <c>1</c> ReLU,
/// <c>2</c> dropout, <c>3</c> linear, <c>4</c> ReLU, <c>5</c> dropout, <c>6</c> linear).
/// </summary>
public sealed class Vgg : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public Vgg(VggSpec spec)
        : base(nameof(Vgg))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = spec.InputChannels;
        var config = spec.SmallInput ? spec.Layers.Take(spec.Layers.Count - 1) : spec.Layers;
        foreach (var width in config)
        {
            if (width == 0)
            {
                layers.Add(nn.MaxPool2d(2, stride: 2));
                continue;
            }

            var output = ConvLayers.Scale(width, spec.WidthMultiplier);
            layers.Add(nn.Conv2d(channels, output, 3, padding: 1));
            if (spec.BatchNormalization)
            {
                layers.Add(nn.BatchNorm2d(output));
            }

            layers.Add(nn.ReLU(inplace: true));
            channels = output;
        }

        features = nn.Sequential(layers);
        var pool = spec.SmallInput ? 1 : 7;
        avgpool = nn.AdaptiveAvgPool2d([pool, pool]);
        FeatureSize = channels * pool * pool;
        var hidden = ConvLayers.Scale(spec.SmallInput ? 512 : 4096, spec.WidthMultiplier);
        classifier = nn.Sequential(
            nn.Linear(FeatureSize, hidden),
            nn.ReLU(inplace: true),
            nn.Dropout(0.5),
            nn.Linear(hidden, hidden),
            nn.ReLU(inplace: true),
            nn.Dropout(0.5),
            nn.Linear(hidden, spec.OutputSize));
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public VggSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Pool => avgpool;
}

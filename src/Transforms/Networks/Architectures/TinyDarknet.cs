using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The Tiny-YOLO backbone built from a <see cref="TinyDarknetSpec"/>. Keys: backbone <c>features</c>
/// (conv–bn–leaky blocks with children <c>0</c> conv and <c>1</c> batch norm, and parameter-free max
/// pools, numbered in order), global average pool, head <c>classifier</c> (one linear layer).
/// </summary>
public sealed class TinyDarknet : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly Linear classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public TinyDarknet(TinyDarknetSpec spec)
        : base(nameof(TinyDarknet))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = spec.InputChannels;
        for (var i = 0; i < spec.Widths.Count; i++)
        {
            layers.Add(ConvLayers.ConvBn(channels, spec.Widths[i], 3, activation: ConvActivation.Leaky));
            if (i < spec.Downsamplings)
            {
                layers.Add(nn.MaxPool2d(2, stride: 2));
            }

            channels = spec.Widths[i];
        }

        features = nn.Sequential(layers);
        FeatureSize = channels;
        classifier = nn.Linear(channels, spec.OutputSize);
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public TinyDarknetSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;

    /// <inheritdoc />
    private protected override bool GlobalAveragePool => true;
}

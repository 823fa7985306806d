using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// MobileNet v1 built from a <see cref="MobileNetV1Spec"/>. torchvision has no MobileNet v1, so the
/// keys follow its MobileNetV2 conventions: backbone <c>features</c> (<c>features.0</c> the stem
/// conv-bn-ReLU with children <c>0</c> conv, <c>1</c> batch norm; <c>features.1</c>…<c>features.13</c>
/// depthwise-separable blocks with <c>depthwise.0</c>/<c>.1</c> and <c>pointwise.0</c>/<c>.1</c>), global
/// average pool, head <c>classifier</c> (one linear layer: <c>classifier.weight</c>, <c>classifier.bias</c>).
/// </summary>
public sealed class MobileNetV1 : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly Linear classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public MobileNetV1(MobileNetV1Spec spec)
        : base(nameof(MobileNetV1))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var channels = ConvLayers.Scale(32, spec.WidthMultiplier);
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            ConvLayers.ConvBn(spec.InputChannels, channels, 3, stride: spec.SmallInput ? 1 : 2),
        };
        var strideTwoSeen = false;
        foreach (var (width, s) in MobileNetV1Spec.Blocks)
        {
            var stride = s;
            if (s == 2 && !strideTwoSeen)
            {
                strideTwoSeen = true;
                stride = spec.SmallInput ? 1 : 2;
            }

            var output = ConvLayers.Scale(width, spec.WidthMultiplier);
            layers.Add(new DepthwiseSeparable(channels, output, stride));
            channels = output;
        }

        features = nn.Sequential(layers);
        FeatureSize = channels;
        classifier = nn.Linear(channels, spec.OutputSize);
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public MobileNetV1Spec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;

    /// <inheritdoc />
    private protected override bool GlobalAveragePool => true;

    /// <summary>A 3×3 depthwise conv-bn-ReLU <c>depthwise</c> then a 1×1 conv-bn-ReLU <c>pointwise</c>.</summary>
    private sealed class DepthwiseSeparable : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Sequential depthwise;
        private readonly Sequential pointwise;

        public DepthwiseSeparable(long input, long output, long stride)
            : base(nameof(DepthwiseSeparable))
        {
            depthwise = ConvLayers.ConvBn(input, input, 3, stride: stride, groups: input);
            pointwise = ConvLayers.ConvBn(input, output, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var x = depthwise.call(input);
            return pointwise.call(x);
        }

        string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
            => exporter.Export(pointwise, exporter.Export(depthwise, input, OnnxNetworkExporter.ChildPath(path, "depthwise")), OnnxNetworkExporter.ChildPath(path, "pointwise"));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                depthwise.Dispose();
                pointwise.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

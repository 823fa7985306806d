using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// MobileNetV2 built from a <see cref="MobileNetV2Spec"/>, with torchvision's state_dict keys:
/// backbone <c>features</c> (<c>features.0</c> the stem conv-bn-ReLU6, <c>features.1</c>…<c>features.17</c>
/// inverted residuals with their layers in <c>features.N.conv</c>, <c>features.18</c> the last 1×1
/// conv-bn-ReLU6), global average pool, head <c>classifier</c> (<c>0</c> dropout 0.2, <c>1</c> linear).
/// </summary>
public sealed class MobileNetV2 : SequentialImageClassifier
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public MobileNetV2(MobileNetV2Spec spec)
        : base(nameof(MobileNetV2))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var width = spec.WidthMultiplier;
        var input = ConvLayers.MakeDivisible(32 * width);
        var last = ConvLayers.MakeDivisible(1280 * Math.Max(1.0, width));
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            ConvLayers.ConvBn(spec.InputChannels, input, 3, stride: spec.SmallInput ? 1 : 2, activation: ConvActivation.ReLU6),
        };
        var strideTwoSeen = false;
        foreach (var (t, c, n, s) in MobileNetV2Spec.Blocks)
        {
            var output = ConvLayers.MakeDivisible(c * width);
            var stride = s;
            if (s == 2 && !strideTwoSeen)
            {
                strideTwoSeen = true;
                stride = spec.SmallInput ? 1 : 2;
            }

            for (var i = 0; i < n; i++)
            {
                layers.Add(new InvertedResidual(input, output, i == 0 ? stride : 1, t));
                input = output;
            }
        }

        layers.Add(ConvLayers.ConvBn(input, last, 1, activation: ConvActivation.ReLU6));
        features = nn.Sequential(layers);
        FeatureSize = last;
        classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, spec.OutputSize));
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public MobileNetV2Spec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => classifier;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    private protected override nn.Module<Tensor, Tensor> Features => features;

    /// <inheritdoc />
    private protected override bool GlobalAveragePool => true;

    /// <summary>
    /// An inverted residual: <c>conv</c> = [1×1 expansion conv-bn-ReLU6 when t ≠ 1,] 3×3 depthwise
    /// conv-bn-ReLU6, 1×1 linear projection conv and its batch norm; a residual when shapes agree.
    /// </summary>
    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Sequential conv;
        private readonly bool residual;

        public InvertedResidual(long input, long output, long stride, int expansion)
            : base(nameof(InvertedResidual))
        {
            var hidden = (long)Math.Round(input * (double)expansion);
            var layers = new List<nn.Module<Tensor, Tensor>>();
            if (expansion != 1)
            {
                layers.Add(ConvLayers.ConvBn(input, hidden, 1, activation: ConvActivation.ReLU6));
            }

            layers.Add(ConvLayers.ConvBn(hidden, hidden, 3, stride: stride, groups: hidden, activation: ConvActivation.ReLU6));
            layers.Add(nn.Conv2d(hidden, output, 1, bias: false));
            layers.Add(nn.BatchNorm2d(output));
            conv = nn.Sequential(layers);
            residual = stride == 1 && input == output;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            if (!residual)
            {
                return conv.call(input);
            }

            using var y = conv.call(input);
            return input + y;
        }

        string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        {
            var y = exporter.Export(conv, input, OnnxNetworkExporter.ChildPath(path, "conv"));
            return residual ? OnnxBlocks.Add(exporter.Builder, input, y, OnnxNetworkExporter.ChildPath(path, "add")) : y;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                conv.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// Builds the network of a <see cref="TinyYoloV2Spec"/> as a <c>Sequential</c> whose keys follow
/// face-api's TF.js names: <c>conv0</c> (a convolution with <c>weight</c>, <c>bias</c>), <c>conv1</c>…
/// (separable stages with <c>depthwise.weight</c>, <c>pointwise.weight</c>, <c>pointwise.bias</c>) and
/// <c>conv8</c> (the 1×1 output convolution), with parameter-free <c>leaky0</c> and <c>pool1</c>… between them.
/// </summary>
internal static class TinyYoloV2
{
    /// <summary>Leaky ReLU slope of every hidden layer.</summary>
    internal const double LeakySlope = 0.1;

    /// <summary>Name of the output convolution (TF.js' <c>conv8</c>).</summary>
    internal const string OutputLayer = "conv8";

    /// <summary>Builds and initialises the network (He-initialised convolutions, zero biases).</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public static Sequential Build(TinyYoloV2Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        ConvolutionCheck.EnsureVerified();
        var widths = spec.Widths;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv0", nn.Conv2d(spec.InputChannels, widths[0], 3, bias: true)),
            ("leaky0", nn.LeakyReLU(LeakySlope)),
        };
        for (var stage = 1; stage < widths.Count; stage++)
        {
            layers.Add(($"pool{stage}", new TfSameMaxPool(stride: 2)));
            layers.Add(($"conv{stage}", new SeparableStage(widths[stage - 1], widths[stage])));
        }

        layers.Add(($"pool{widths.Count}", new TfSameMaxPool(stride: 1)));
        layers.Add((OutputLayer, nn.Conv2d(widths[^1], spec.AnchorCount * spec.BoxEncodingSize, 1, bias: true)));
        var network = nn.Sequential(layers);
        ConvLayers.Initialize(network);
        return network;
    }

    /// <summary>
    /// The network key of a TF.js weight name of face-api's TinyFaceDetector (<c>conv0/filters</c> →
    /// <c>conv0.weight</c>, <c>convK/depthwise_filter</c> → <c>convK.depthwise.weight</c>,
    /// <c>convK/pointwise_filter</c> → <c>convK.pointwise.weight</c>, <c>convK/bias</c> → the bias of
    /// the stage's last convolution), or <see langword="null"/> for a name it does not know.
    /// </summary>
    /// <param name="name">The TF.js weight name.</param>
    public static string? KeyFromTfjs(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return null;
        }

        var (layer, weight) = (name[..slash], name[(slash + 1)..]);
        var separable = layer is not ("conv0" or OutputLayer);
        return weight switch
        {
            "filters" when !separable => $"{layer}.weight",
            "bias" => separable ? $"{layer}.pointwise.bias" : $"{layer}.bias",
            "depthwise_filter" when separable => $"{layer}.depthwise.weight",
            "pointwise_filter" when separable => $"{layer}.pointwise.weight",
            _ => null,
        };
    }

    /// <summary>Converts a TF.js kernel (HWIO, depthwise HWIM) to the layout of the network key it was mapped to.</summary>
    /// <param name="key">The network key.</param>
    /// <param name="weight">The TF.js tensor.</param>
    public static Tensor ConvertTfjs(string key, Tensor weight) => key switch
    {
        _ when key.EndsWith(".depthwise.weight", StringComparison.Ordinal) => Weights.TensorLayouts.DepthwiseFromHwim(weight),
        _ when key.EndsWith(".weight", StringComparison.Ordinal) => Weights.TensorLayouts.ConvolutionFromHwio(weight),
        _ => weight,
    };

    /// <summary>A 3×3 depthwise convolution <c>depthwise</c> (padding 1, no bias), a 1×1 convolution <c>pointwise</c> with bias, leaky ReLU.</summary>
    private sealed class SeparableStage : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Conv2d depthwise;
        private readonly Conv2d pointwise;

        public SeparableStage(long input, long output)
            : base(nameof(SeparableStage))
        {
            depthwise = nn.Conv2d(input, input, 3, padding: 1, groups: input, bias: false);
            pointwise = nn.Conv2d(input, output, 1, bias: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var x = depthwise.call(input);
            using var y = pointwise.call(x);
            return nn.functional.leaky_relu(y, LeakySlope);
        }

        string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        {
            var x = exporter.Export(depthwise, input, OnnxNetworkExporter.ChildPath(path, "depthwise"));
            x = exporter.Export(pointwise, x, OnnxNetworkExporter.ChildPath(path, "pointwise"));
            return exporter.Builder.AddOp("LeakyRelu", [x], $"{path}.leaky", OnnxAttribute.Float("alpha", (float)LeakySlope));
        }

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

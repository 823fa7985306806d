using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The YOLO detector of a <see cref="YoloSpec"/>. Keys: <c>backbone.</c> (the classifier's own keys; its
/// linear head is kept but unused, so its state dict loads whole) and <c>head.</c> (<c>head.0</c> the
/// 3×3 conv–bn–leaky when <see cref="YoloSpec.HeadWidth"/> is positive, then the 1×1 prediction convolution).
/// The prediction layer starts with weights N(0, 0.01²) and an objectness bias of logit(0.01), so that
/// training starts from "no object anywhere" (as YOLOv5 and RetinaNet initialise it).
/// </summary>
public sealed class Yolo : nn.Module<Tensor, Tensor>, IOnnxExportable, IBackboneNetwork
{
    private const double ObjectPrior = 0.01;
    private readonly ImageClassifier backbone;
    private readonly Sequential head;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here. Its output size must be the grid's cells × anchors × (5 + classes).</param>
    /// <exception cref="ArgumentOutOfRangeException">The output size does not fit the grid and anchors.</exception>
    public Yolo(YoloSpec spec)
        : base(nameof(Yolo))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        backbone = BuildBackbone(spec);
        var (gridHeight, gridWidth, channels) = Probe(backbone, spec);
        long perCell = spec.OutputSize / ((long)gridHeight * gridWidth * spec.AnchorCount);
        OptionCheck.Require(
            perCell >= YoloGridDecoder.BoxValues + 1 && perCell * gridHeight * gridWidth * spec.AnchorCount == spec.OutputSize,
            spec.OutputSize,
            nameof(spec.OutputSize),
            $"{gridHeight}×{gridWidth} cells × {spec.AnchorCount} anchors × (5 + classes), with at least 1 class");
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (spec.HeadWidth > 0)
        {
            layers.Add(ConvLayers.ConvBn(channels, spec.HeadWidth, 3, activation: ConvActivation.Leaky));
            channels = spec.HeadWidth;
        }

        var prediction = nn.Conv2d(channels, perCell * spec.AnchorCount, 1, bias: true);
        layers.Add(prediction);
        head = nn.Sequential(layers);
        RegisterComponents();
        ConvLayers.Initialize(head);
        using (no_grad())
        {
            nn.init.normal_(prediction.weight, 0, 0.01);
            var bias = prediction.bias!.view(spec.AnchorCount, perCell);
            bias[.., YoloGridDecoder.Objectness].fill_(Math.Log(ObjectPrior / (1 - ObjectPrior)));
        }

        GridHeight = gridHeight;
        GridWidth = gridWidth;
    }

    /// <summary>The architecture this network was built from.</summary>
    public YoloSpec Spec { get; }

    /// <inheritdoc />
    ImageClassifier IBackboneNetwork.Backbone => backbone;

    /// <inheritdoc />
    string IBackboneNetwork.BackboneName => "backbone";

    /// <summary>Rows of the output grid.</summary>
    public int GridHeight { get; }

    /// <summary>Columns of the output grid.</summary>
    public int GridWidth { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var map = backbone.ForwardFeatureMap(input);
        return head.call(map);
    }

    /// <inheritdoc />
    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        var map = backbone.ExportFeatureMapOnnx(exporter, input, OnnxNetworkExporter.ChildPath(path, "backbone"));
        return exporter.Export(head, map, OnnxNetworkExporter.ChildPath(path, "head"));
    }

    /// <summary>The backbone classifier of <paramref name="spec"/>.</summary>
    internal static ImageClassifier BuildBackbone(YoloSpec spec)
    {
        var network = spec.BackboneSpec().Build();
        if (network is ImageClassifier classifier)
        {
            return classifier;
        }

        network.Dispose();
        throw new NotSupportedException($"{spec.Backbone.GetType().Name} builds a {network.GetType().Name}, which has no feature map to read: it cannot be a YOLO backbone.");
    }

    /// <summary>The grid rows, columns and channels of the backbone's last feature map for the spec's input, by one forward pass of zeros.</summary>
    internal static (int Height, int Width, long Channels) Probe(ImageClassifier backbone, YoloSpec spec)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = backbone.training;
        backbone.eval();
        var map = backbone.ForwardFeatureMap(zeros(1, spec.InputChannels, spec.InputHeight, spec.InputWidth));
        backbone.train(wasTraining);
        if (map.dim() != 4)
        {
            throw new NotSupportedException($"{spec.Backbone.GetType().Name}'s last feature map is shaped [{string.Join(", ", map.shape)}], not [N, C, H, W]: it cannot be a YOLO backbone.");
        }

        return (checked((int)map.shape[2]), checked((int)map.shape[3]), map.shape[1]);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            backbone.Dispose();
            head.Dispose();
        }

        base.Dispose(disposing);
    }
}

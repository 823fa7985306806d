using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// A residual network built from a <see cref="ResNetSpec"/>, with torchvision's state_dict keys:
/// stem <c>conv1</c>, <c>bn1</c> (then a 3×3 stride-2 max pool unless small-input or CIFAR),
/// stages <c>layer1</c>…<c>layer4</c> of blocks (<c>layerS.B.conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>,
/// <c>conv3</c>/<c>bn3</c> for bottlenecks, projection shortcut <c>layerS.B.downsample.0</c>/<c>.1</c>),
/// global average pool, head <c>fc</c>. CIFAR variants have three stages and, unless
/// <see cref="ResNetSpec.ProjectionShortcuts"/>, parameter-free option-A shortcuts (stride-2
/// subsampling and zero-padded channels) where the shape changes.
/// </summary>
public sealed class ResNet : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d? maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential? layer4;
    private readonly Linear fc;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public ResNet(ResNetSpec spec)
        : base(nameof(ResNet))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var (bottleneck, blocks, baseWidth, cifar) = spec.Layout;
        var expansion = bottleneck ? 4 : 1;
        var inplanes = ConvLayers.Scale(baseWidth, spec.WidthMultiplier);
        var small = cifar || spec.SmallInput;
        conv1 = small
            ? ConvLayers.Conv3x3(spec.InputChannels, inplanes)
            : nn.Conv2d(spec.InputChannels, inplanes, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(inplanes);
        maxpool = small ? null : nn.MaxPool2d(3, stride: 2, padding: 1);
        var stages = new Sequential[blocks.Length];
        for (var s = 0; s < blocks.Length; s++)
        {
            var planes = ConvLayers.Scale(baseWidth << s, spec.WidthMultiplier);
            var stride = s == 0 ? 1 : 2;
            var stage = new List<nn.Module<Tensor, Tensor>>();
            for (var b = 0; b < blocks[s]; b++)
            {
                var blockStride = b == 0 ? stride : 1;
                stage.Add(bottleneck
                    ? new ResNetBottleneck(inplanes, planes, blockStride)
                    : new ResNetBasicBlock(inplanes, planes, blockStride, optionA: cifar && !spec.ProjectionShortcuts));
                inplanes = planes * expansion;
            }

            stages[s] = nn.Sequential(stage);
        }

        (layer1, layer2, layer3) = (stages[0], stages[1], stages[2]);
        layer4 = stages.Length > 3 ? stages[3] : null;
        FeatureSize = inplanes;
        fc = nn.Linear(inplanes, spec.OutputSize);
        RegisterComponents();
        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public ResNetSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => fc;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    public override Tensor ForwardFeatures(Tensor input)
    {
        using var x = ForwardFeatureMap(input);
        return nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
    }

    /// <inheritdoc />
    internal override Tensor ForwardFeatureMap(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)), inplace: true);
        if (maxpool is not null)
        {
            x = maxpool.call(x);
        }

        x = layer3.call(layer2.call(layer1.call(x)));
        if (layer4 is not null)
        {
            x = layer4.call(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    private protected override string ExportFeaturesOnnx(OnnxNetworkExporter exporter, string input, string path)
        => OnnxBlocks.GlobalAveragePoolFlatten(exporter.Builder, ExportFeatureMapOnnx(exporter, input, path), path);

    /// <inheritdoc />
    internal override string ExportFeatureMapOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        string P(string name) => OnnxNetworkExporter.ChildPath(path, name);
        var x = exporter.Export(bn1, exporter.Export(conv1, input, P("conv1")), P("bn1"));
        x = OnnxBlocks.Relu(exporter.Builder, x, P("relu"));
        if (maxpool is not null)
        {
            x = exporter.Export(maxpool, x, P("maxpool"));
        }

        x = exporter.Export(layer1, x, P("layer1"));
        x = exporter.Export(layer2, x, P("layer2"));
        x = exporter.Export(layer3, x, P("layer3"));
        return layer4 is null ? x : exporter.Export(layer4, x, P("layer4"));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            maxpool?.Dispose();
            layer1.Dispose();
            layer2.Dispose();
            layer3.Dispose();
            layer4?.Dispose();
            fc.Dispose();
        }

        base.Dispose(disposing);
    }
}

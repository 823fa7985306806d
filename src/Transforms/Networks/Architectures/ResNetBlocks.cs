using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// ResNet's basic block: two 3×3 convolutions (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>) plus a
/// shortcut; where the shape changes the shortcut is a 1×1 projection <c>downsample.0</c>/<c>.1</c>
/// (option B, torchvision) or, for CIFAR ResNets, option A (subsample, zero-pad channels).
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly long padChannels;
    private readonly long stride;

    public ResNetBasicBlock(long inplanes, long planes, long stride, bool optionA)
        : base(nameof(ResNetBasicBlock))
    {
        conv1 = ConvLayers.Conv3x3(inplanes, planes, stride);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = ConvLayers.Conv3x3(planes, planes);
        bn2 = nn.BatchNorm2d(planes);
        this.stride = stride;
        if (stride != 1 || inplanes != planes)
        {
            if (optionA)
            {
                padChannels = planes - inplanes;
            }
            else
            {
                downsample = ResNetBottleneck.Projection(inplanes, planes, stride);
            }
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)), inplace: true);
        x = bn2.call(conv2.call(x));
        Tensor identity;
        if (downsample is not null)
        {
            identity = downsample.call(input);
        }
        else if (stride != 1 || padChannels != 0)
        {
            // Option A: keep every stride-th pixel and zero-pad the new channels (no parameters).
            var sub = input[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
            identity = nn.functional.pad(sub, [0, 0, 0, 0, padChannels / 2, padChannels - (padChannels / 2)]);
        }
        else
        {
            identity = input;
        }

        return nn.functional.relu(x.add_(identity), inplace: true).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        var x = ExportConvBnRelu(exporter, conv1, bn1, input, path, "1");
        x = exporter.Export(bn2, exporter.Export(conv2, x, OnnxNetworkExporter.ChildPath(path, "conv2")), OnnxNetworkExporter.ChildPath(path, "bn2"));
        var identity = downsample is not null
            ? exporter.Export(downsample, input, OnnxNetworkExporter.ChildPath(path, "downsample"))
            : OnnxBlocks.SubsampleAndPadChannels(exporter.Builder, input, OnnxNetworkExporter.ChildPath(path, "shortcut"), stride, padChannels);
        return OnnxBlocks.AddRelu(exporter.Builder, x, identity, path);
    }

    /// <summary>relu(bnK(convK(input))), named after the module paths.</summary>
    internal static string ExportConvBnRelu(OnnxNetworkExporter exporter, Conv2d conv, BatchNorm2d bn, string input, string path, string k)
    {
        var x = exporter.Export(conv, input, OnnxNetworkExporter.ChildPath(path, $"conv{k}"));
        x = exporter.Export(bn, x, OnnxNetworkExporter.ChildPath(path, $"bn{k}"));
        return OnnxBlocks.Relu(exporter.Builder, x, OnnxNetworkExporter.ChildPath(path, $"relu{k}"));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsample?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// ResNet's bottleneck block (torchvision v1.5: stride on the 3×3): <c>conv1</c> 1×1, <c>conv2</c> 3×3,
/// <c>conv3</c> 1×1 to 4× the width, each with batch norm <c>bnK</c>, and a projection shortcut
/// <c>downsample</c> where the shape changes.
/// </summary>
internal sealed class ResNetBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    public ResNetBottleneck(long inplanes, long planes, long stride)
        : base(nameof(ResNetBottleneck))
    {
        var outplanes = planes * 4;
        conv1 = nn.Conv2d(inplanes, planes, 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = ConvLayers.Conv3x3(planes, planes, stride);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, outplanes, 1, bias: false);
        bn3 = nn.BatchNorm2d(outplanes);
        downsample = stride != 1 || inplanes != outplanes ? Projection(inplanes, outplanes, stride) : null;
        RegisterComponents();
    }

    /// <summary>The option-B shortcut: 1×1 strided convolution <c>0</c> and batch norm <c>1</c>.</summary>
    internal static Sequential Projection(long inplanes, long outplanes, long stride)
        => nn.Sequential(nn.Conv2d(inplanes, outplanes, 1, stride: stride, bias: false), nn.BatchNorm2d(outplanes));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)), inplace: true);
        x = nn.functional.relu(bn2.call(conv2.call(x)), inplace: true);
        x = bn3.call(conv3.call(x));
        var identity = downsample is null ? input : downsample.call(input);
        return nn.functional.relu(x.add_(identity), inplace: true).MoveToOuterDisposeScope();
    }

    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        var x = ResNetBasicBlock.ExportConvBnRelu(exporter, conv1, bn1, input, path, "1");
        x = ResNetBasicBlock.ExportConvBnRelu(exporter, conv2, bn2, x, path, "2");
        x = exporter.Export(bn3, exporter.Export(conv3, x, OnnxNetworkExporter.ChildPath(path, "conv3")), OnnxNetworkExporter.ChildPath(path, "bn3"));
        var identity = downsample is null ? input : exporter.Export(downsample, input, OnnxNetworkExporter.ChildPath(path, "downsample"));
        return OnnxBlocks.AddRelu(exporter.Builder, x, identity, path);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            conv3.Dispose();
            bn3.Dispose();
            downsample?.Dispose();
        }

        base.Dispose(disposing);
    }
}

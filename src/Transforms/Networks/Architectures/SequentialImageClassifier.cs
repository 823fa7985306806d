using DeepLearning.Transforms.Onnx;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// An <see cref="ImageClassifier"/> whose backbone is a trunk module (torchvision's <c>features</c>),
/// then optional pooling (an <c>avgpool</c> module, or a global average pool), then flattening:
/// VGG, AlexNet, the MobileNets, LeNet-5 and the small CNN. The forward pass, its ONNX emission and
/// disposal are written once here; a family only builds its modules.
/// </summary>
public abstract class SequentialImageClassifier : ImageClassifier
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">The module name.</param>
    protected SequentialImageClassifier(string name)
        : base(name)
    {
    }

    /// <summary>The convolutional trunk.</summary>
    private protected abstract nn.Module<Tensor, Tensor> Features { get; }

    /// <summary>The pooling module after the trunk, or <see langword="null"/>.</summary>
    private protected virtual nn.Module<Tensor, Tensor>? Pool => null;

    /// <summary>Whether a global average pool (no module) follows the trunk instead of <see cref="Pool"/>.</summary>
    private protected virtual bool GlobalAveragePool => false;

    /// <summary>The convolutional trunk when the head reads its feature map flattened as it is (no pooling in between), else <see langword="null"/>: what sliding windows by convolution need.</summary>
    internal nn.Module<Tensor, Tensor>? UnpooledTrunk => Pool is null && !GlobalAveragePool ? Features : null;

    /// <inheritdoc />
    internal override Tensor ForwardFeatureMap(Tensor input) => Features.call(input);

    /// <inheritdoc />
    internal override string ExportFeatureMapOnnx(OnnxNetworkExporter exporter, string input, string path)
        => exporter.Export(Features, input, OnnxNetworkExporter.ChildPath(path, ChildName(Features)));

    /// <inheritdoc />
    public override Tensor ForwardFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = ForwardFeatureMap(input);
        if (Pool is { } pool)
        {
            x = pool.call(x);
        }
        else if (GlobalAveragePool)
        {
            x = nn.functional.adaptive_avg_pool2d(x, [1, 1]);
        }

        return x.flatten(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    private protected override string ExportFeaturesOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        var x = ExportFeatureMapOnnx(exporter, input, path);
        if (Pool is { } pool)
        {
            x = exporter.Export(pool, x, OnnxNetworkExporter.ChildPath(path, ChildName(pool)));
        }
        else if (GlobalAveragePool)
        {
            return OnnxBlocks.GlobalAveragePoolFlatten(exporter.Builder, x, path);
        }

        return OnnxBlocks.Flatten(exporter.Builder, x, OnnxNetworkExporter.ChildPath(path, "flatten"));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Features.Dispose();
            Pool?.Dispose();
            Head.Dispose();
        }

        base.Dispose(disposing);
    }
}

using DeepLearning.Transforms.Onnx;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The module of <see cref="ImageFeaturesSpec"/>: runs <see cref="ImageClassifier.ForwardFeatures"/> of
/// <see cref="Network"/>, or the whole classifier with a forward hook that keeps a copy of the named
/// layer's output (a copy, because layers after it may work in place), flattened per row.
/// </summary>
public sealed class ImageFeatures : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private const string NetworkName = "network";

    private readonly ImageClassifier network;
    private readonly string? layer;

    // Set by the named layer's hook during a forward pass and taken by forward. Detached from dispose scopes,
    // because the classifier may run the layer inside a scope of its own that ends before forward returns.
    private Tensor? tapped;

    /// <summary>Wraps <paramref name="classifier"/>.</summary>
    /// <param name="classifier">The classifier whose backbone runs.</param>
    /// <param name="layer">The dotted name of the module whose output is the features, or <see langword="null"/> for the pooled backbone.</param>
    /// <exception cref="ArgumentException"><paramref name="classifier"/> has no module named <paramref name="layer"/>.</exception>
    public ImageFeatures(ImageClassifier classifier, string? layer = null)
        : base(nameof(ImageFeatures))
    {
        network = classifier ?? throw new ArgumentNullException(nameof(classifier));
        this.layer = layer;
        if (layer is not null)
        {
            Tap(Find(classifier, layer));
        }

        RegisterComponents();
    }

    /// <summary>The wrapped classifier, e.g. to load pretrained weights into with its own key names.</summary>
    public ImageClassifier Network => network;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (layer is null)
        {
            return network.ForwardFeatures(input);
        }

        try
        {
            network.call(input).Dispose();
            return tapped?.flatten(1) ?? throw new InvalidOperationException($"Layer '{layer}' did not run in the forward pass of {network.GetType().Name}: its output cannot be the features.");
        }
        finally
        {
            tapped?.Dispose();
            tapped = null;
        }
    }

    /// <summary>The length of the features per row, from one pass of a zero image of <paramref name="inputShape"/> (eval mode, no gradients).</summary>
    internal long TraceOutputSize(IReadOnlyList<long> inputShape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = training;
        eval();
        try
        {
            return call(zeros([1, .. inputShape])).shape[1];
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <inheritdoc />
    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        var networkPath = OnnxNetworkExporter.ChildPath(path, NetworkName);
        if (layer is null)
        {
            return network.ExportFeatures(exporter, input, networkPath);
        }

        exporter.Export(network, input, networkPath);
        var layerPath = OnnxNetworkExporter.ChildPath(networkPath, layer);
        if (!exporter.TryGetOutput(layerPath, out var output))
        {
            throw new NotSupportedException($"Layer '{layer}' of {network.GetType().Name} is emitted inside a larger block when exporting to ONNX, so its output cannot be the exported features: choose a block's or a stage's name.");
        }

        return OnnxBlocks.Flatten(exporter.Builder, output, OnnxNetworkExporter.ChildPath(path, "features"));
    }

    private static nn.Module<Tensor, Tensor> Find(ImageClassifier classifier, string layer)
    {
        var modules = classifier.named_modules().Where(m => m.name.Length > 0).ToList();
        var found = modules.FirstOrDefault(m => m.name == layer).module;
        if (found is nn.Module<Tensor, Tensor> module)
        {
            return module;
        }

        var names = string.Join(", ", modules.Where(m => m.module is nn.Module<Tensor, Tensor>).Select(m => m.name).Take(40));
        throw new ArgumentException($"Layer '{layer}' is not a module of {classifier.GetType().Name} with one tensor in and out. Its modules are: {names}.", nameof(layer));
    }

    private void Tap(nn.Module<Tensor, Tensor> module) =>
        module.register_forward_hook((_, _, output) =>
        {
            tapped?.Dispose();
            tapped = output.clone().DetachFromDisposeScope();
            return output;
        });
}

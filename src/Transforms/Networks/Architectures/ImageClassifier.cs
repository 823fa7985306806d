using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// An image classifier split, as in torchvision, into a backbone (<see cref="ForwardFeatures"/>:
/// the convolutional trunk, its pooling and flattening) and a head (<see cref="Head"/>: the
/// <c>classifier</c> or <c>fc</c> module) that maps the feature vector to class scores (logits).
/// Exports its inference graph to ONNX: the backbone as each family emits it, then the head.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">The module name.</param>
    protected ImageClassifier(string name)
        : base(name)
    {
        // Before the first convolution of the process: libtorch's oneDNN convolution is wrong on some CPUs.
        ConvolutionCheck.EnsureVerified();
    }

    /// <summary>The head: maps <c>[N, FeatureSize]</c> features to <c>[N, classes]</c> logits.</summary>
    public abstract nn.Module<Tensor, Tensor> Head { get; }

    /// <summary>Length of the feature vector the backbone produces (the head's input size).</summary>
    public abstract long FeatureSize { get; }

    /// <summary>Runs the backbone: images <c>[N, C, H, W]</c> to flat features <c>[N, FeatureSize]</c>.</summary>
    /// <param name="input">The images.</param>
    public abstract Tensor ForwardFeatures(Tensor input);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        return Head.call(features);
    }

    /// <inheritdoc />
    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        var features = ExportFeaturesOnnx(exporter, input, path);
        return exporter.Export(Head, features, OnnxNetworkExporter.ChildPath(path, ChildName(Head)));
    }

    /// <summary>
    /// Runs the backbone up to its last feature map <c>[N, C, h, w]</c>, before any pooling or flattening:
    /// what a dense head (a detector's grid) reads. Families whose trunk does not end in one feature map do not support it.
    /// </summary>
    /// <param name="input">The images.</param>
    /// <exception cref="NotSupportedException">The family has no single last feature map.</exception>
    internal virtual Tensor ForwardFeatureMap(Tensor input)
        => throw new NotSupportedException($"{GetType().Name} cannot serve as a detection backbone: it does not expose its last feature map. Use the small CNN, LeNet-5, AlexNet, VGG, ResNet, MobileNet or Tiny Darknet.");

    /// <summary>Emits <see cref="ForwardFeatureMap"/> in inference mode.</summary>
    /// <param name="exporter">The exporter, for the graph and the child modules.</param>
    /// <param name="input">Name of the variable holding the images.</param>
    /// <param name="path">Dotted path of this network.</param>
    /// <returns>Name of the variable holding the feature map.</returns>
    internal virtual string ExportFeatureMapOnnx(OnnxNetworkExporter exporter, string input, string path)
        => throw new NotSupportedException($"{GetType().Name} cannot serve as a detection backbone.");

    /// <summary>Emits the backbone alone (as <see cref="ForwardFeatures"/>), for networks that output features.</summary>
    internal string ExportFeatures(OnnxNetworkExporter exporter, string input, string path) => ExportFeaturesOnnx(exporter, input, path);

    /// <summary>The name under which <paramref name="child"/> is registered (its state_dict prefix).</summary>
    /// <param name="child">A direct child module.</param>
    private protected string ChildName(nn.Module child) => named_children().First(c => ReferenceEquals(c.module, child)).name;

    /// <summary>Emits <see cref="ForwardFeatures"/> in inference mode: images to flat features.</summary>
    /// <param name="exporter">The exporter, for the graph and the child modules.</param>
    /// <param name="input">Name of the variable holding the images.</param>
    /// <param name="path">Dotted path of this network (empty for the root).</param>
    /// <returns>Name of the variable holding the features, shape [N, <see cref="FeatureSize"/>].</returns>
    private protected abstract string ExportFeaturesOnnx(OnnxNetworkExporter exporter, string input, string path);
}

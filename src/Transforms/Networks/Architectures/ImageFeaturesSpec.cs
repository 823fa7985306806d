using System.Text.Json.Serialization;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The backbone of an image classifier as a network of its own: images to the flat, globally pooled
/// feature vector its head would read (<see cref="ImageClassifier.ForwardFeatures"/>). The
/// classifier's weights sit under <c>network.</c>; its head is kept (so state dicts load whole) but not run.
/// </summary>
[RegisteredName("image-features")]
public sealed record ImageFeaturesSpec : NetworkSpec
{
    /// <summary>The classifier whose backbone computes the features; its input shape is this network's.</summary>
    [JsonConverter(typeof(NamedTypeJsonConverter<ImageNetworkSpec>))]
    public required ImageNetworkSpec Backbone { get; init; }

    /// <summary>Length of the feature vector: the backbone's <see cref="ImageClassifier.FeatureSize"/>; at least 1.</summary>
    public override int OutputSize { get; init; }

    /// <inheritdoc />
    public override IReadOnlyList<long> InputShape => Backbone.InputShape;

    /// <summary>The spec for <paramref name="backbone"/>, with <see cref="OutputSize"/> read from a built network.</summary>
    /// <param name="backbone">The classifier.</param>
    public static ImageFeaturesSpec For(ImageNetworkSpec backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        backbone.Validate();
        using var network = Classifier(backbone);
        return new ImageFeaturesSpec { Backbone = backbone, OutputSize = checked((int)network.FeatureSize) };
    }

    /// <inheritdoc />
    public override void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backbone, nameof(Backbone));
        Backbone.Validate();
        Validation.OptionCheck.Require(OutputSize >= 1, OutputSize, nameof(OutputSize), "at least 1");
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new ImageFeatures(Classifier(Backbone));

    private static ImageClassifier Classifier(ImageNetworkSpec backbone)
    {
        var network = backbone.Build();
        if (network is ImageClassifier classifier)
        {
            return classifier;
        }

        network.Dispose();
        throw new ArgumentException($"{backbone.GetType().Name} builds a {network.GetType().Name}, which has no backbone/head split (an ImageClassifier): it cannot give features.", nameof(backbone));
    }
}

/// <summary>The module of <see cref="ImageFeaturesSpec"/>: runs <see cref="ImageClassifier.ForwardFeatures"/> of <see cref="Network"/>.</summary>
public sealed class ImageFeatures : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly ImageClassifier network;

    /// <summary>Wraps <paramref name="classifier"/>.</summary>
    /// <param name="classifier">The classifier whose backbone runs.</param>
    public ImageFeatures(ImageClassifier classifier)
        : base(nameof(ImageFeatures))
    {
        network = classifier ?? throw new ArgumentNullException(nameof(classifier));
        RegisterComponents();
    }

    /// <summary>The wrapped classifier, e.g. to load pretrained weights into with its own key names.</summary>
    public ImageClassifier Network => network;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => network.ForwardFeatures(input);

    /// <inheritdoc />
    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        => network.ExportFeatures(exporter, input, OnnxNetworkExporter.ChildPath(path, "network"));
}

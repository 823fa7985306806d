using System.Text.Json.Serialization;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The backbone of an image classifier as a network of its own: images to the flat, globally pooled
/// feature vector its head would read (<see cref="ImageClassifier.ForwardFeatures"/>), or to the
/// flattened output of a named layer (<see cref="Layer"/>). The classifier's weights sit under
/// <c>network.</c>; its head is kept (so state dicts load whole).
/// </summary>
[RegisteredName("image-features")]
public sealed record ImageFeaturesSpec : NetworkSpec
{
    /// <summary>The classifier whose backbone computes the features; its input shape is this network's.</summary>
    [JsonConverter(typeof(NamedTypeJsonConverter<ImageNetworkSpec>))]
    public required ImageNetworkSpec Backbone { get; init; }

    /// <summary>
    /// The module whose output, flattened per row, is the feature vector: a dotted name of the classifier's
    /// modules as its state dict names them (e.g. <c>features.2</c>, <c>layer3</c>, <c>classifier.1</c>).
    /// Default <see langword="null"/>: the backbone's pooled features, the head's input.
    /// </summary>
    public string? Layer { get; init; }

    /// <summary>Length of the feature vector (the backbone's <see cref="ImageClassifier.FeatureSize"/>, or the named layer's output size per row); at least 1.</summary>
    public override int OutputSize { get; init; }

    /// <inheritdoc />
    public override IReadOnlyList<long> InputShape => Backbone.InputShape;

    /// <summary>The spec for <paramref name="backbone"/>, with <see cref="OutputSize"/> read from a built network.</summary>
    /// <param name="backbone">The classifier.</param>
    /// <param name="layer">The named layer whose output is the features, or <see langword="null"/> for the pooled backbone.</param>
    /// <exception cref="ArgumentException">The classifier has no module named <paramref name="layer"/> (the message lists its modules).</exception>
    public static ImageFeaturesSpec For(ImageNetworkSpec backbone, string? layer = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        backbone.Validate();
        using var network = new ImageFeatures(Classifier(backbone), layer);
        long size = layer is null ? network.Network.FeatureSize : network.TraceOutputSize(backbone.InputShape);
        return new ImageFeaturesSpec { Backbone = backbone, Layer = layer, OutputSize = checked((int)size) };
    }

    /// <inheritdoc />
    public override void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backbone, nameof(Backbone));
        Backbone.Validate();
        Validation.OptionCheck.Require(OutputSize >= 1, OutputSize, nameof(OutputSize), "at least 1");
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new ImageFeatures(Classifier(Backbone), Layer);

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

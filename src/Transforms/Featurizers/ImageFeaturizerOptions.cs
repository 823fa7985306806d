using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Validation;
using DeepLearning.Transforms.Weights;

namespace DeepLearning.Transforms.Featurizers;

/// <summary>Options of <see cref="ImageFeaturizerEstimator"/>. Each property documents its default and valid range.</summary>
public sealed class ImageFeaturizerOptions
{
    /// <summary>
    /// The classifier whose backbone computes the features, with the input size and class count of the
    /// weights (e.g. <c>new ResNetSpec { Variant = ResNetVariant.ResNet18 }</c> for torchvision's
    /// 1000-class ResNet-18 at 224×224, or the architecture a model of this library was trained with).
    /// Required.
    /// </summary>
    public ImageNetworkSpec? Architecture { get; set; }

    /// <summary>
    /// The pretrained weights (see <see cref="PretrainedWeights"/>: a PyTorch state dict, safetensors or a
    /// TF.js manifest), loaded strictly into <see cref="Architecture"/> unless <see cref="WeightOptions"/>
    /// says otherwise. Required: a featurizer with random weights computes nothing useful.
    /// </summary>
    public string? WeightsPath { get; set; }

    /// <summary>Strictness, renaming, conversion and SHA-256 of <see cref="WeightsPath"/>. Default strict, keys as they are.</summary>
    public WeightLoadOptions WeightOptions { get; set; } = new();

    /// <summary>The column holding the images: <c>MLImage</c>, encoded bytes, file paths, or an image-shaped vector of Single. Default <c>Image</c>.</summary>
    public string InputColumnName { get; set; } = "Image";

    /// <summary>The appended vector column of features (the backbone's pooled output, or <see cref="LayerName"/>'s). Default <c>Features</c>.</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>
    /// The layer whose output, flattened per row, is the feature vector: a dotted module name as the
    /// architecture's state dict names it (e.g. <c>features.2</c> of the small CNN, <c>layer3</c> of a
    /// ResNet, <c>classifier.1</c> for a hidden layer of a head). Earlier layers give more general,
    /// later ones more task-specific features. Default <see langword="null"/>: the backbone's pooled
    /// features (the head's input); otherwise not empty and a module of the architecture (checked by <c>Fit</c>).
    /// </summary>
    public string? LayerName { get; set; }

    /// <summary>
    /// How image columns become tensors; its channels, height and width must be the architecture's.
    /// Default <see langword="null"/>: <see cref="ImageInputOptions"/>' defaults at the architecture's
    /// channels and size.
    /// </summary>
    public ImageInputOptions? Image { get; set; }

    /// <summary>Per-channel standardisation the weights expect (e.g. ImageNet's mean 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225). Default <see langword="null"/>: none.</summary>
    public InputNormalization? Normalization { get; set; }

    /// <summary>Torch device to score on. Default <c>cpu</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Throws naming the first invalid option.</summary>
    /// <exception cref="ArgumentException">An option is missing or invalid.</exception>
    public void Validate()
    {
        if (Architecture is null)
        {
            throw new ArgumentNullException(nameof(Architecture), $"Option {nameof(Architecture)} is required: the classifier whose backbone computes the features.");
        }

        Architecture.Validate();
        OptionCheck.RequireName(WeightsPath, nameof(WeightsPath));
        ArgumentNullException.ThrowIfNull(WeightOptions, nameof(WeightOptions));
        OptionCheck.RequireName(InputColumnName, nameof(InputColumnName));
        OptionCheck.RequireName(OutputColumnName, nameof(OutputColumnName));
        if (LayerName is not null)
        {
            OptionCheck.RequireName(LayerName, nameof(LayerName));
        }

        OptionCheck.RequireName(Device, nameof(Device));
        if (Image is { } image)
        {
            image.Validate();
            OptionCheck.Require(
                image.Channels == Architecture.InputChannels && image.Height == Architecture.InputHeight && image.Width == Architecture.InputWidth,
                $"{image.Channels}×{image.Height}×{image.Width}",
                nameof(Image),
                $"the architecture's input, {Architecture.InputChannels}×{Architecture.InputHeight}×{Architecture.InputWidth} (Channels × Height × Width)");
        }
    }

    /// <summary>The image options the architecture needs: <see cref="Image"/> or the defaults at its size.</summary>
    internal ImageInputOptions ImageOptions() => Image ?? new ImageInputOptions
    {
        Channels = Architecture!.InputChannels,
        Width = Architecture.InputWidth,
        Height = Architecture.InputHeight,
    };
}

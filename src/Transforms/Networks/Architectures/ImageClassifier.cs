using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// An image classifier split, as in torchvision, into a backbone (<see cref="ForwardFeatures"/>:
/// the convolutional trunk, its pooling and flattening) and a head (<see cref="Head"/>: the
/// <c>classifier</c> or <c>fc</c> module) that maps the feature vector to class scores (logits).
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">The module name.</param>
    protected ImageClassifier(string name)
        : base(name)
    {
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
}

namespace DeepLearning.Transforms.Weights;

/// <summary>How <see cref="PretrainedWeights"/> copies a state dict into a network. Each property documents its default.</summary>
public sealed record WeightLoadOptions
{
    /// <summary>
    /// Whether every key must match: a network key with no weight (<c>num_batches_tracked</c> aside,
    /// which old checkpoints lack), a weight with no network key, or a shape mismatch throws, naming
    /// the keys, and nothing is copied. When <see langword="false"/>, the weights whose key and shape
    /// match are copied and the report lists the rest. Default <see langword="true"/>.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Renames each weight's key before it is matched to the network's (e.g. TF.js layer names to
    /// torchvision's), or drops the weight by returning <see langword="null"/>. Default
    /// <see langword="null"/>: keys are used as they are.
    /// </summary>
    public Func<string, string?>? MapKey { get; init; }

    /// <summary>
    /// Converts a weight, after renaming, before its shape is compared (e.g. a TF.js convolution kernel
    /// from HWIO to OIHW with <see cref="TensorLayouts"/>). Given the network key and the tensor; returns
    /// the tensor to copy. Default <see langword="null"/>: none.
    /// </summary>
    public Func<string, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? Convert { get; init; }

    /// <summary>
    /// Network keys starting with any of these prefixes are left as they are and not reported missing,
    /// e.g. <c>["fc."]</c> to keep a freshly initialised head for a new class count. Default none.
    /// </summary>
    public IReadOnlyList<string> SkipPrefixes { get; init; } = [];

    /// <summary>The expected SHA-256 of the weight file (hex, any case); a different file throws before anything is read. Default <see langword="null"/>: not checked.</summary>
    public string? Sha256 { get; init; }
}

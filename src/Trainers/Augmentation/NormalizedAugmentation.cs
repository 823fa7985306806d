using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Runs an augmentation on the pixel scale when batches arrive standardised: undoes the per-channel
/// normalisation, augments (the inner augmentation may change the targets too, e.g. moved boxes), and
/// standardises again, so colour jitter, erasing values and padding mean what they say (as torchvision
/// applies its transforms before <c>Normalize</c>). Two element-wise operations per batch.
/// </summary>
internal sealed class NormalizedAugmentation : IBatchAugmentation
{
    private readonly IBatchAugmentation _inner;
    private readonly InputNormalization _normalization;
    private readonly IReadOnlyList<long> _shape;

    /// <summary>Wraps <paramref name="inner"/> for batches standardised by <paramref name="normalization"/>.</summary>
    /// <param name="inner">The augmentation, on the pixel scale (an <see cref="AugmentationPipeline"/> or a <see cref="BoxAugmentation"/>).</param>
    /// <param name="normalization">The standardisation the batches went through.</param>
    /// <param name="shape">The per-row input shape <c>[C, H, W]</c>.</param>
    public NormalizedAugmentation(IBatchAugmentation inner, InputNormalization normalization, IReadOnlyList<long> shape)
    {
        _inner = inner;
        _normalization = normalization;
        _shape = shape;
    }

    /// <inheritdoc />
    public Batch Apply(Batch batch, int epoch, int batchNumber)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = _normalization.ToTensors(_shape, batch.Input.device);
        var pixels = batch.Input.mul(std).add_(mean);
        var augmented = _inner.Apply(batch with { Input = pixels }, epoch, batchNumber);
        var result = augmented.Input.sub(mean).div_(std);
        return new Batch(scope.MoveToOuter(result), scope.MoveToOuter(augmented.Target));
    }
}

using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Runs an <see cref="AugmentationPipeline"/> on the pixel scale when batches arrive standardised:
/// undoes the per-channel normalisation, augments, and standardises again, so colour jitter,
/// erasing values and padding mean what they say (as torchvision applies its transforms before
/// <c>Normalize</c>). Two element-wise operations per batch.
/// </summary>
internal sealed class NormalizedAugmentation : IBatchAugmentation
{
    private readonly AugmentationPipeline _pipeline;
    private readonly InputNormalization _normalization;
    private readonly IReadOnlyList<long> _shape;

    /// <summary>Wraps <paramref name="pipeline"/> for batches standardised by <paramref name="normalization"/>.</summary>
    /// <param name="pipeline">The augmentation.</param>
    /// <param name="normalization">The standardisation the batches went through.</param>
    /// <param name="shape">The per-row input shape <c>[C, H, W]</c>.</param>
    public NormalizedAugmentation(AugmentationPipeline pipeline, InputNormalization normalization, IReadOnlyList<long> shape)
    {
        _pipeline = pipeline;
        _normalization = normalization;
        _shape = shape;
    }

    /// <inheritdoc />
    public Batch Apply(Batch batch, int epoch, int batchNumber)
    {
        using var scope = NewDisposeScope();
        var (mean, std) = _normalization.ToTensors(_shape, batch.Input.device);
        var pixels = batch.Input.mul(std).add_(mean);
        var augmented = _pipeline.Apply(pixels, epoch, batchNumber);
        var result = augmented.sub(mean).div_(std);
        return batch with { Input = scope.MoveToOuter(result) };
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// One random transformation of image batches <c>[B, C, H, W]</c>, applied to each sample
/// independently with <see cref="Probability"/>: every sample draws its own decision and its own
/// parameters, all as tensors of shape <c>[B]</c> applied in one batched operation. Steps are
/// combined in an <see cref="AugmentationPipeline"/>, which seeds them and saves them as JSON
/// (each concrete step has a registered name).
/// </summary>
public abstract record AugmentationStep
{
    /// <summary>The chance that a sample is transformed. Default 1 (0.5 for flips and erasing); range [0, 1].</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Throws naming the first invalid option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Check.Range(Probability, 0, 1, this, nameof(Probability));
        ValidateOptions();
    }

    /// <summary>Applies the step to <paramref name="input"/> <c>[B, C, H, W]</c>, in the caller's dispose scope.</summary>
    /// <param name="input">The batch of images (floating point).</param>
    /// <param name="generator">The batch's generator (CPU); draws are made in a fixed order.</param>
    internal Tensor Apply(Tensor input, Generator generator)
    {
        var selected = Draw.Uniform(input, generator).lt(Probability);
        var transformed = Transform(input, generator);
        return where(selected.view(-1, 1, 1, 1), transformed, input);
    }

    /// <summary>Validates the options of the concrete step.</summary>
    private protected abstract void ValidateOptions();

    /// <summary>The transformed batch: every sample transformed (the caller keeps the unselected ones).</summary>
    private protected abstract Tensor Transform(Tensor input, Generator generator);
}

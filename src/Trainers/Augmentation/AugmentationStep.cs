using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// One random transformation of image batches <c>[B, C, H, W]</c>, applied to each sample
/// independently with <see cref="Probability"/>: every sample draws its own decision and its own
/// parameters, all as tensors of shape <c>[B]</c> applied in one batched operation. Steps are
/// combined in an <see cref="AugmentationPipeline"/>, which seeds them and saves them as JSON
/// (each concrete step has a registered name). For detection and localisation tasks the geometric
/// steps move the targets' boxes with the pixels (see <see cref="BoxGeometry"/>).
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
        var selected = Select(input, generator);
        return Keep(selected, Transform(input, generator), input);
    }

    /// <summary>
    /// Applies the step to <paramref name="input"/> and moves the boxes with the pixels, drawing exactly
    /// what <see cref="Apply(Tensor, Generator)"/> draws (the same generator state gives the same images).
    /// Moved boxes are clipped to the image and removed by <see cref="BoxGeometry.Clip"/>; boxes of samples
    /// the step leaves alone, and all boxes of photometric steps, are unchanged. Results are in the caller's scope.
    /// </summary>
    /// <param name="input">The batch of images <c>[B, C, H, W]</c> (floating point).</param>
    /// <param name="boxes">Normalised corner boxes <c>[B, M, 4]</c>.</param>
    /// <param name="valid">Which boxes are objects, <c>[B, M]</c> bool.</param>
    /// <param name="generator">The batch's generator.</param>
    internal (Tensor Images, Tensor Boxes, Tensor Valid) Apply(Tensor input, Tensor boxes, Tensor valid, Generator generator)
    {
        var selected = Select(input, generator);
        var (transformed, moved) = Transform(input, boxes, generator);
        var images = Keep(selected, transformed, input);
        if (moved is null)
        {
            return (images, boxes, valid);
        }

        var (clipped, kept) = BoxGeometry.Clip(moved, input.shape[3], input.shape[2]);
        var rows = selected.view(-1, 1);
        var stillValid = where(rows, valid.logical_and(kept), valid);
        var chosen = where(rows.unsqueeze(-1), clipped, boxes).masked_fill(stillValid.logical_not().unsqueeze(-1), 0);
        return (images, chosen, stillValid);
    }

    /// <summary>Validates the options of the concrete step.</summary>
    private protected abstract void ValidateOptions();

    /// <summary>The transformed batch: every sample transformed (the caller keeps the unselected ones).</summary>
    private protected abstract Tensor Transform(Tensor input, Generator generator);

    /// <summary>
    /// The transformed batch and every sample's boxes mapped as its pixels are (not clipped), drawing what
    /// <see cref="Transform(Tensor, Generator)"/> draws; <see langword="null"/> boxes when the step keeps
    /// them in place (photometric steps: the default).
    /// </summary>
    /// <param name="input">The batch of images.</param>
    /// <param name="boxes">Normalised corner boxes <c>[B, M, 4]</c>.</param>
    /// <param name="generator">The batch's generator.</param>
    private protected virtual (Tensor Images, Tensor? Boxes) Transform(Tensor input, Tensor boxes, Generator generator)
        => (Transform(input, generator), null);

    /// <summary>Each sample's decision, <c>[B]</c> bool; the first draw of every step.</summary>
    private Tensor Select(Tensor input, Generator generator) => Draw.Uniform(input, generator).lt(Probability);

    private static Tensor Keep(Tensor selected, Tensor transformed, Tensor input) => where(selected.view(-1, 1, 1, 1), transformed, input);
}

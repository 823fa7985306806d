using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Mixes each selected training sample with another sample of its batch (a random permutation) and
/// mixes their targets by the same weight: <see cref="Mixup"/> blends whole images, <see cref="CutMix"/>
/// pastes a rectangle. The weight λ of the sample's own image is drawn per sample from
/// Beta(<see cref="Alpha"/>, <see cref="Alpha"/>). The task mixes the targets (class indices become
/// one-hot rows; Single targets mix linearly), so the loss sees soft targets. Set as the CNN trainer's
/// <c>Mixing</c> option; never applied to validation or scoring. Saved as JSON by registered name.
/// </summary>
public abstract record BatchMixing
{
    /// <summary>The chance that a sample is mixed. Default 1; range [0, 1].</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>The Beta(α, α) concentration of λ: small values keep most samples nearly whole. Default 0.2 for mixup, 1 for CutMix; range [0.01, 100].</summary>
    public abstract double Alpha { get; init; }

    /// <summary>Throws naming the first invalid option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Check.Range(Probability, 0, 1, this, nameof(Probability));
        Check.Range(Alpha, 0.01, 100, this, nameof(Alpha));
    }

    /// <summary>
    /// Mixes <paramref name="input"/> <c>[B, C, H, W]</c> with <paramref name="partner"/> (the same batch
    /// permuted); returns the mixed images and the weight of each sample's own target <c>[B]</c>
    /// (1 for samples left alone).
    /// </summary>
    /// <param name="input">The batch.</param>
    /// <param name="partner">The batch in the order of the partners.</param>
    /// <param name="generator">The batch's generator.</param>
    internal (Tensor Input, Tensor Weight) Mix(Tensor input, Tensor partner, Generator generator)
    {
        var selected = Draw.Uniform(input, generator).lt(Probability);
        var concentration = full([input.shape[0]], Alpha, ScalarType.Float32);
        var first = _standard_gamma(concentration, generator);
        var second = _standard_gamma(concentration, generator);
        var lambda = first.div(first + second).nan_to_num(0.5).to(input.device);
        var (mixed, weight) = Combine(input, partner, lambda, generator);
        return (where(selected.view(-1, 1, 1, 1), mixed, input), where(selected, weight, ones_like(weight)));
    }

    /// <summary>Every sample mixed with its partner for its drawn <paramref name="lambda"/>; returns the images and the weights actually applied.</summary>
    private protected abstract (Tensor Input, Tensor Weight) Combine(Tensor input, Tensor partner, Tensor lambda, Generator generator);
}

/// <summary>Mixup (Zhang et al. 2018): <c>λ·x + (1 − λ)·x_partner</c>, targets mixed by λ.</summary>
[RegisteredName("mixup")]
public sealed record Mixup : BatchMixing
{
    /// <inheritdoc />
    public override double Alpha { get; init; } = 0.2;

    private protected override (Tensor Input, Tensor Weight) Combine(Tensor input, Tensor partner, Tensor lambda, Generator generator)
    {
        var l = lambda.view(-1, 1, 1, 1);
        return (input.mul(l).add_(partner.mul(1 - l)), lambda);
    }
}

/// <summary>
/// CutMix (Yun et al. 2019): a rectangle of about (1 − λ) of the area, with the image's aspect ratio,
/// centred at a random point and clipped to the image, is taken from the partner; the targets are
/// mixed by the area actually kept.
/// </summary>
[RegisteredName("cutmix")]
public sealed record CutMix : BatchMixing
{
    /// <inheritdoc />
    public override double Alpha { get; init; } = 1.0;

    private protected override (Tensor Input, Tensor Weight) Combine(Tensor input, Tensor partner, Tensor lambda, Generator generator)
    {
        var (b, h, w) = (input.shape[0], input.shape[2], input.shape[3]);
        var side = (1 - lambda).sqrt();
        var centreY = Draw.Uniform(input, generator, 0, h).view(b, 1, 1, 1);
        var centreX = Draw.Uniform(input, generator, 0, w).view(b, 1, 1, 1);
        var halfH = side.mul(h / 2.0).view(b, 1, 1, 1);
        var halfW = side.mul(w / 2.0).view(b, 1, 1, 1);
        var top = (centreY - halfH).round().clamp(0, h);
        var bottom = (centreY + halfH).round().clamp(0, h);
        var left = (centreX - halfW).round().clamp(0, w);
        var right = (centreX + halfW).round().clamp(0, w);
        var rows = arange(h, ScalarType.Float32, device: input.device).view(1, 1, h, 1);
        var cols = arange(w, ScalarType.Float32, device: input.device).view(1, 1, 1, w);
        var box = rows.ge(top).logical_and(rows.lt(bottom)).logical_and(cols.ge(left)).logical_and(cols.lt(right));
        var kept = 1 - ((bottom - top) * (right - left)).view(b).div(h * w);
        return (where(box, partner, input), kept.to_type(lambda.dtype));
    }
}

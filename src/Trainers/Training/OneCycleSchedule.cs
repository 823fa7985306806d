using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// The one-cycle policy per mini-batch, like PyTorch's <c>OneCycleLR</c> with cosine annealing:
/// the rate rises along a cosine from <c>max / divFactor</c> to <see cref="MaxLearningRate"/> over the
/// first <see cref="WarmupFraction"/> of the run's steps, then falls along a cosine to
/// <c>(max / divFactor) / finalDivFactor</c> at the last step. The options' base learning rate is
/// ignored: this schedule sets the rate entirely from its own options.
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    /// <summary>Creates a one-cycle schedule.</summary>
    /// <param name="maxLearningRate">Peak rate; greater than 0 and finite.</param>
    /// <param name="warmupFraction">Fraction of the steps spent rising. Default 0.3; in (0, 1).</param>
    /// <param name="divFactor">Initial rate is <c>max / divFactor</c>. Default 25; greater than 0 and finite.</param>
    /// <param name="finalDivFactor">Final rate is <c>initial / finalDivFactor</c>. Default 1e4; greater than 0 and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public OneCycleSchedule(double maxLearningRate, double warmupFraction = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        MaxLearningRate = maxLearningRate;
        WarmupFraction = warmupFraction;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        Validate();
    }

    /// <summary>Peak rate. No default (constructor argument); greater than 0 and finite.</summary>
    public double MaxLearningRate { get; }

    /// <summary>Fraction of the steps spent rising. Default 0.3; in (0, 1).</summary>
    public double WarmupFraction { get; }

    /// <summary>The initial rate is <c>MaxLearningRate / DivFactor</c>. Default 25; greater than 0 and finite.</summary>
    public double DivFactor { get; }

    /// <summary>The final rate is the initial rate divided by this. Default 1e4; greater than 0 and finite.</summary>
    public double FinalDivFactor { get; }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(MaxLearningRate > 0 && double.IsFinite(MaxLearningRate), MaxLearningRate, nameof(MaxLearningRate), "greater than 0 and finite");
        OptionCheck.Require(WarmupFraction > 0 && WarmupFraction < 1, WarmupFraction, nameof(WarmupFraction), "in (0, 1)");
        OptionCheck.Require(DivFactor > 0 && double.IsFinite(DivFactor), DivFactor, nameof(DivFactor), "greater than 0 and finite");
        OptionCheck.Require(FinalDivFactor > 0 && double.IsFinite(FinalDivFactor), FinalDivFactor, nameof(FinalDivFactor), "greater than 0 and finite");
    }

    /// <inheritdoc />
    /// <remarks><paramref name="baseLearningRate"/> is ignored.</remarks>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
    {
        double totalSteps = Math.Max(1L, (long)epochs * stepsPerEpoch);
        var initial = MaxLearningRate / DivFactor;
        var final = initial / FinalDivFactor;
        var max = MaxLearningRate;

        // As PyTorch: the peak is at step warmup·T − 1 and the final rate at step T − 1.
        var peakStep = (WarmupFraction * totalSteps) - 1;
        var lastStep = totalSteps - 1;
        return new StepScheduler(step =>
        {
            var t = Math.Min(step, lastStep);
            return t <= peakStep
                ? Anneal(initial, max, peakStep <= 0 ? 1 : t / peakStep)
                : Anneal(max, final, lastStep - peakStep <= 0 ? 1 : (t - peakStep) / (lastStep - peakStep));
        });
    }

    private static double Anneal(double start, double end, double fraction)
        => end + ((start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1));
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Asynchronous successive halving (ASHA): at steps r, r·η, r·η², … (rungs) a trial goes on only
/// when its value is among the top 1/η of the values all trials reported at that rung; the others
/// stop. Workers never wait for one another: each decision uses the values stored so far.
/// </summary>
public sealed class SuccessiveHalvingPruner : TrialPruner
{
    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">The first rung r (epochs). Default 1; at least 1.</param>
    /// <param name="reductionFactor">η: one trial in η goes on at each rung. Default 3; at least 2.</param>
    public SuccessiveHalvingPruner(int minResource = 1, int reductionFactor = 3)
    {
        OptionCheck.Require(minResource >= 1, minResource, nameof(minResource), "at least 1");
        OptionCheck.Require(reductionFactor >= 2, reductionFactor, nameof(reductionFactor), "at least 2");
        (MinResource, ReductionFactor) = (minResource, reductionFactor);
    }

    /// <summary>The first rung (epochs).</summary>
    public int MinResource { get; }

    /// <summary>η, the reduction factor.</summary>
    public int ReductionFactor { get; }

    /// <inheritdoc />
    internal override bool ShouldPrune(int number, int step, double value, bool maximize, Func<int, IReadOnlyList<(int Number, double Value)>> valuesAt)
        => Halve(number, step, value, maximize, valuesAt, MinResource, ReductionFactor, _ => true);
}

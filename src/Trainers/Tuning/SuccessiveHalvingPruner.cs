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
    /// <param name="maxResource">The epochs of a full trial: a rung at or after it does not prune (the trial has already run in full). Default <see langword="null"/>: no limit; otherwise at least <paramref name="minResource"/>.</param>
    public SuccessiveHalvingPruner(int minResource = 1, int reductionFactor = 3, int? maxResource = null)
    {
        OptionCheck.Require(minResource >= 1, minResource, nameof(minResource), "at least 1");
        OptionCheck.Require(reductionFactor >= 2, reductionFactor, nameof(reductionFactor), "at least 2");
        OptionCheck.Require(maxResource is null || maxResource >= minResource, maxResource, nameof(maxResource), $"null or at least minResource = {minResource}");
        (MinResource, ReductionFactor, MaxResource) = (minResource, reductionFactor, maxResource);
    }

    /// <summary>The first rung (epochs).</summary>
    public int MinResource { get; }

    /// <summary>η, the reduction factor.</summary>
    public int ReductionFactor { get; }

    /// <summary>The epochs of a full trial, if given: no pruning at or after it.</summary>
    public int? MaxResource { get; }

    /// <inheritdoc />
    internal override bool ShouldPrune(int number, int step, double value, bool maximize, Func<int, IReadOnlyList<(int Number, double Value)>> valuesAt)
        => (MaxResource is null || step < MaxResource) && Halve(number, step, value, maximize, valuesAt, MinResource, ReductionFactor, _ => true);
}

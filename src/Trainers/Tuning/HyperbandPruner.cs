using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Hyperband: several brackets of successive halving that trade many short trials against few
/// long ones. Bracket b's first rung is r·η^b (b = 0 … ⌊log_η(R/r)⌋); trial n runs in bracket
/// n mod (number of brackets) and competes only with trials of its bracket.
/// </summary>
public sealed class HyperbandPruner : TrialPruner
{
    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">r, the most aggressive bracket's first rung (epochs). Default 1; at least 1.</param>
    /// <param name="maxResource">R, the epochs of a full trial. Default 27; at least <paramref name="minResource"/>.</param>
    /// <param name="reductionFactor">η. Default 3; at least 2.</param>
    public HyperbandPruner(int minResource = 1, int maxResource = 27, int reductionFactor = 3)
    {
        OptionCheck.Require(minResource >= 1, minResource, nameof(minResource), "at least 1");
        OptionCheck.Require(maxResource >= minResource, maxResource, nameof(maxResource), $"at least minResource = {minResource}");
        OptionCheck.Require(reductionFactor >= 2, reductionFactor, nameof(reductionFactor), "at least 2");
        (MinResource, MaxResource, ReductionFactor) = (minResource, maxResource, reductionFactor);
        var brackets = 1;
        for (long rung = (long)minResource * reductionFactor; rung <= maxResource; rung *= reductionFactor)
        {
            brackets++;
        }

        Brackets = brackets;
    }

    /// <summary>r, the first rung of the most aggressive bracket.</summary>
    public int MinResource { get; }

    /// <summary>R, the epochs of a full trial.</summary>
    public int MaxResource { get; }

    /// <summary>η, the reduction factor.</summary>
    public int ReductionFactor { get; }

    /// <summary>The number of brackets, ⌊log_η(R/r)⌋ + 1.</summary>
    public int Brackets { get; }

    /// <inheritdoc />
    internal override bool ShouldPrune(int number, int step, double value, bool maximize, Func<int, IReadOnlyList<(int Number, double Value)>> valuesAt)
    {
        var bracket = number % Brackets;
        var firstRung = MinResource * (int)Math.Pow(ReductionFactor, bracket);
        return step < MaxResource && Halve(number, step, value, maximize, valuesAt, firstRung, ReductionFactor, n => n % Brackets == bracket);
    }
}

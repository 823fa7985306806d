namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Stops unpromising trials early from their intermediate values. Decisions read the values every
/// worker stored in the study, so workers in several processes share them.
/// </summary>
public abstract class TrialPruner
{
    private protected TrialPruner()
    {
    }

    /// <summary>Whether trial <paramref name="number"/>, which just reported <paramref name="value"/> at <paramref name="step"/>, should stop.</summary>
    /// <param name="number">The trial's number.</param>
    /// <param name="step">The step (epoch).</param>
    /// <param name="value">Its value at that step.</param>
    /// <param name="maximize">Whether larger values are better.</param>
    /// <param name="valuesAt">Every trial's stored value at a step, by trial number.</param>
    internal abstract bool ShouldPrune(int number, int step, double value, bool maximize, Func<int, IReadOnlyList<(int Number, double Value)>> valuesAt);

    /// <summary>
    /// Asynchronous successive halving: rungs at steps <paramref name="firstRung"/>·η^k; a trial
    /// reaching a rung goes on only when its value is among the top 1/η of the values stored at
    /// that rung by trials that <paramref name="competes"/> with it (the first trial at a rung always goes on).
    /// </summary>
    private protected static bool Halve(
        int number, int step, double value, bool maximize, Func<int, IReadOnlyList<(int Number, double Value)>> valuesAt, int firstRung, int reductionFactor, Func<int, bool> competes)
    {
        if (!IsRung(step, firstRung, reductionFactor))
        {
            return false;
        }

        var competing = valuesAt(step).Where(v => v.Number != number && competes(v.Number)).Select(v => v.Value).Append(value).ToList();
        var promoted = Math.Max(1, competing.Count / reductionFactor);
        var ranked = maximize ? competing.OrderByDescending(v => v) : competing.OrderBy(v => v);
        var threshold = ranked.ElementAt(promoted - 1);
        return maximize ? value < threshold : value > threshold;
    }

    private static bool IsRung(int step, int firstRung, int reductionFactor)
    {
        for (long rung = firstRung; rung <= step; rung *= reductionFactor)
        {
            if (rung == step)
            {
                return true;
            }
        }

        return false;
    }
}

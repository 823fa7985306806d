using System.Globalization;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// A metric a trial must satisfy to count (e.g. latency at most 2 ms per row); among the
/// trials that satisfy every constraint, the objective picks the best.
/// </summary>
/// <param name="Metric">Name of the metric in <see cref="TrialResult.Metrics"/>.</param>
/// <param name="AtMost">Largest allowed value, or <see langword="null"/> for no upper bound.</param>
/// <param name="AtLeast">Smallest allowed value, or <see langword="null"/> for no lower bound.</param>
public sealed record SatisficingConstraint(string Metric, double? AtMost, double? AtLeast)
{
    /// <summary>Whether a trial's metrics satisfy the constraint (a missing or NaN metric does not).</summary>
    /// <param name="metrics">The trial's metrics.</param>
    /// <returns>Whether the constraint holds.</returns>
    public bool IsSatisfiedBy(IReadOnlyDictionary<string, double> metrics)
        => metrics.TryGetValue(Metric, out var value) && !double.IsNaN(value)
           && (AtMost is null || value <= AtMost) && (AtLeast is null || value >= AtLeast);

    /// <summary>Describes the constraint, e.g. <c>LatencyMsPerRow ≤ 2</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Join(" and ", new[] { AtLeast is null ? null : $"{Metric} ≥ {AtLeast.Value.ToString(CultureInfo.InvariantCulture)}", AtMost is null ? null : $"{Metric} ≤ {AtMost.Value.ToString(CultureInfo.InvariantCulture)}" }.OfType<string>());
}

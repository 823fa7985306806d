using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// What a study optimises: one number to maximise or minimise (the optimising metric) and any
/// number of satisficing constraints; a trial that violates a constraint is infeasible and never
/// the best.
/// </summary>
public sealed class TuningObjective
{
    private readonly List<SatisficingConstraint> _constraints = [];

    private TuningObjective(string name, bool maximize)
    {
        OptionCheck.RequireName(name, nameof(name));
        Name = name;
        Maximize = maximize;
    }

    /// <summary>Name of the optimising metric (shown in tables and plots).</summary>
    public string Name { get; }

    /// <summary>Whether larger values are better.</summary>
    public bool Maximize { get; }

    /// <summary>The satisficing constraints.</summary>
    public IReadOnlyList<SatisficingConstraint> Constraints => _constraints;

    /// <summary>An objective whose larger values are better (accuracy).</summary>
    /// <param name="name">Name of the metric; non-empty.</param>
    /// <returns>The objective.</returns>
    public static TuningObjective Maximizing(string name) => new(name, maximize: true);

    /// <summary>An objective whose smaller values are better (error, loss).</summary>
    /// <param name="name">Name of the metric; non-empty.</param>
    /// <returns>The objective.</returns>
    public static TuningObjective Minimizing(string name) => new(name, maximize: false);

    /// <summary>Adds a satisficing constraint on a metric the trial reports.</summary>
    /// <param name="metric">Name of the metric in <see cref="TrialResult.Metrics"/>; non-empty.</param>
    /// <param name="atMost">Largest allowed value. Default <see langword="null"/>: no upper bound.</param>
    /// <param name="atLeast">Smallest allowed value. Default <see langword="null"/>: no lower bound. At least one bound is required, and <paramref name="atLeast"/> ≤ <paramref name="atMost"/>.</param>
    /// <returns>This objective.</returns>
    public TuningObjective SubjectTo(string metric, double? atMost = null, double? atLeast = null)
    {
        OptionCheck.RequireName(metric, nameof(metric));
        OptionCheck.Require(atMost is not null || atLeast is not null, "null", nameof(atMost), "set (or atLeast set)");
        OptionCheck.Require(atMost is null || atLeast is null || atLeast <= atMost, atLeast, nameof(atLeast), $"at most atMost = {atMost}");
        _constraints.Add(new SatisficingConstraint(metric, atMost, atLeast));
        return this;
    }

    /// <summary>Whether <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    internal bool IsBetter(double a, double b) => Maximize ? a > b : a < b;

    /// <summary>Orders values best first.</summary>
    internal IOrderedEnumerable<T> BestFirst<T>(IEnumerable<T> items, Func<T, double> value)
        => Maximize ? items.OrderByDescending(value) : items.OrderBy(value);

    /// <summary>Whether every constraint holds for <paramref name="metrics"/>.</summary>
    internal bool IsFeasible(IReadOnlyDictionary<string, double> metrics) => _constraints.All(c => c.IsSatisfiedBy(metrics));
}

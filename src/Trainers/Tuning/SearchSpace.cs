using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The hyper-parameters to search and the distribution of each: uniform, log-uniform (learning
/// rate, weight decay), 1−log-uniform (β close to 1), integer (optionally log-scaled) and
/// categorical. Built fluently: <c>new SearchSpace().LogUniform("LearningRate", 1e-4, 1e-1)</c>.
/// </summary>
public sealed class SearchSpace
{
    private readonly List<SearchDimension> _dimensions = [];

    /// <summary>The names of the hyper-parameters, in the order they were added.</summary>
    public IReadOnlyList<string> Names => [.. _dimensions.Select(d => d.Name)];

    internal IReadOnlyList<SearchDimension> Dimensions => _dimensions;

    /// <summary>Adds a real parameter drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="name">Unique non-empty name.</param>
    /// <param name="min">Smallest value; finite.</param>
    /// <param name="max">Largest value; finite and at least <paramref name="min"/>.</param>
    /// <returns>This space.</returns>
    public SearchSpace Uniform(string name, double min, double max)
        => Add(Numeric(name, min, max, AxisScale.Linear, integer: false, "uniform"));

    /// <summary>Adds a real parameter whose logarithm is uniform: every decade in range gets an equal share (learning rate, weight decay).</summary>
    /// <param name="name">Unique non-empty name.</param>
    /// <param name="min">Smallest value; greater than 0.</param>
    /// <param name="max">Largest value; finite and at least <paramref name="min"/>.</param>
    /// <returns>This space.</returns>
    public SearchSpace LogUniform(string name, double min, double max)
    {
        OptionCheck.Require(min > 0, min, name + ".min", "greater than 0 on a log scale");
        return Add(Numeric(name, min, max, AxisScale.Log, integer: false, "log-uniform"));
    }

    /// <summary>
    /// Adds a parameter β close to 1 whose 1 − β is log-uniform, e.g. [0.9, 0.999]: 1 − β gets an
    /// equal share in [0.001, 0.01] and [0.01, 0.1] (a momentum's averaging window 1/(1 − β)).
    /// </summary>
    /// <param name="name">Unique non-empty name.</param>
    /// <param name="min">Smallest value; finite.</param>
    /// <param name="max">Largest value; less than 1 and at least <paramref name="min"/>.</param>
    /// <returns>This space.</returns>
    public SearchSpace OneMinusLogUniform(string name, double min, double max)
    {
        OptionCheck.Require(max < 1, max, name + ".max", "less than 1 (1 − β is on a log scale)");
        return Add(Numeric(name, min, max, AxisScale.OneMinusLog, integer: false, "1−log-uniform"));
    }

    /// <summary>Adds an integer parameter in [<paramref name="min"/>, <paramref name="max"/>], each value equally likely, or log-uniform when <paramref name="log"/> is set (layer widths).</summary>
    /// <param name="name">Unique non-empty name.</param>
    /// <param name="min">Smallest value; at least 1 when <paramref name="log"/> is set.</param>
    /// <param name="max">Largest value; at least <paramref name="min"/>.</param>
    /// <param name="log">Whether the value is log-uniform. Default <see langword="false"/>.</param>
    /// <returns>This space.</returns>
    public SearchSpace Integer(string name, int min, int max, bool log = false)
    {
        if (log)
        {
            OptionCheck.Require(min > 0, min, name + ".min", "greater than 0 on a log scale");
        }

        return Add(Numeric(name, min, max, log ? AxisScale.Log : AxisScale.Linear, integer: true, log ? "log-integer" : "integer"));
    }

    /// <summary>Adds a parameter taking one of <paramref name="choices"/>, each equally likely.</summary>
    /// <param name="name">Unique non-empty name.</param>
    /// <param name="choices">At least one distinct, non-empty choice.</param>
    /// <returns>This space.</returns>
    public SearchSpace Categorical(string name, params string[] choices)
    {
        OptionCheck.RequireName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(choices);
        OptionCheck.Require(choices.Length > 0, choices.Length, name + ".choices", "at least one choice");
        OptionCheck.Require(choices.Distinct().Count() == choices.Length && choices.All(c => !string.IsNullOrEmpty(c)), string.Join(", ", choices), name + ".choices", "distinct non-empty names");
        return Add(new CategoricalDimension(name, [.. choices]));
    }

    /// <summary>
    /// Coarse to fine: a space of the same parameters narrowed around the values of the best
    /// trials of a previous round, on each parameter's own scale (a log-uniform range shrinks in
    /// decades). Categorical parameters keep the choices the best trials used.
    /// </summary>
    /// <param name="best">Parameters of the best trials (at least one), e.g. <see cref="StudyResults.Best(int)"/>.</param>
    /// <param name="factor">Width of each new range as a fraction of the current one, in (0, 1]; a range never becomes narrower than the spread of the best values. Default 0.25.</param>
    /// <returns>A new space.</returns>
    public SearchSpace NarrowAround(IEnumerable<TrialParameters> best, double factor = 0.25)
    {
        ArgumentNullException.ThrowIfNull(best);
        var trials = best.ToList();
        OptionCheck.Require(trials.Count > 0, trials.Count, nameof(best), "at least one trial");
        OptionCheck.Require(factor > 0 && factor <= 1, factor, nameof(factor), "in (0, 1]");
        var narrowed = new SearchSpace();
        foreach (var dimension in _dimensions)
        {
            narrowed._dimensions.Add(dimension.Narrow([.. trials.Select(t => t.Get(dimension.Name))], factor));
        }

        return narrowed;
    }

    /// <summary>Throws naming the problem when the space has no parameter.</summary>
    internal void Validate()
    {
        if (_dimensions.Count == 0)
        {
            throw new ArgumentException("The search space is empty: add at least one parameter (Uniform, LogUniform, OneMinusLogUniform, Integer or Categorical).", "space");
        }
    }

    /// <summary>Lists the parameters and their distributions, one a line.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Join(Environment.NewLine, _dimensions);

    private static NumericDimension Numeric(string name, double min, double max, AxisScale scale, bool integer, string kind)
    {
        OptionCheck.RequireName(name, nameof(name));
        OptionCheck.Require(double.IsFinite(min), min, name + ".min", "finite");
        OptionCheck.Require(double.IsFinite(max) && max >= min, max, name + ".max", $"finite and at least min = {min}");
        return new NumericDimension(name, min, max, scale, integer, kind);
    }

    private SearchSpace Add(SearchDimension dimension)
    {
        if (_dimensions.Any(d => d.Name == dimension.Name))
        {
            throw new ArgumentException($"Option name = '{dimension.Name}' is invalid: the search space already has a parameter of that name.", "name");
        }

        _dimensions.Add(dimension);
        return this;
    }
}

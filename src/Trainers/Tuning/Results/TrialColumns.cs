namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The trials of a study as columns (one row per trial), shared by the CSV writer and the
/// <see cref="Microsoft.ML.IDataView"/>: Number, State, the objective's value, Feasible,
/// Seconds, Worker, Failure, one column per hyper-parameter and one per metric.
/// </summary>
internal sealed class TrialColumns
{
    /// <summary>The names of the columns every table has, which an objective or a parameter cannot take.</summary>
    public static IReadOnlyList<string> Fixed => ["Number", "State", "Feasible", "Seconds", "Worker", "Failure"];

    /// <summary>Throws when the objective's name or a parameter's name is taken by another column.</summary>
    public static void CheckNames(SearchSpace space, TuningObjective objective)
    {
        var names = Fixed.Append(objective.Name).Concat(space.Names).ToList();
        var clash = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (clash is not null)
        {
            throw new ArgumentException($"Name '{clash}' is used twice among the objective ({objective.Name}), the parameters ({string.Join(", ", space.Names)}) and the result columns ({string.Join(", ", Fixed)}); rename the objective or the parameter.", nameof(objective));
        }
    }

    public TrialColumns(StudyResults results)
    {
        var trials = results.Trials;
        var columns = new List<TrialColumn>
        {
            new(Fixed[0], [.. trials.Select(t => (object)(double)t.Number)]),
            new(Fixed[1], [.. trials.Select(t => (object)t.State.ToString())]),
            new(results.Objective.Name, [.. trials.Select(t => (object)(t.Value ?? double.NaN))]),
            new(Fixed[2], [.. trials.Select(t => (object)t.Feasible)]),
            new(Fixed[3], [.. trials.Select(t => (object)(t.Duration?.TotalSeconds ?? double.NaN))]),
            new(Fixed[4], [.. trials.Select(t => (object)(t.WorkerId ?? string.Empty))]),
            new(Fixed[5], [.. trials.Select(t => (object)(t.Error ?? string.Empty))]),
        };
        columns.AddRange(results.Space.Names.Select(n => new TrialColumn(n, [.. trials.Select(t => t.Parameters.Get(n))])));

        // A metric named like another column is shown as "metric:NAME".
        var taken = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        columns.AddRange(results.MetricNames().Select(m => new TrialColumn(taken.Contains(m) ? "metric:" + m : m, [.. trials.Select(t => (object)t.Metrics.GetValueOrDefault(m, double.NaN))])));
        Columns = columns;
        Rows = trials.Count;
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <summary>The number of rows (trials).</summary>
    public int Rows { get; }
}

/// <summary>One column: a name and a value per trial (all <see cref="double"/>, all <see cref="string"/> or all <see cref="bool"/>).</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">The values, one per trial.</param>
internal sealed record TrialColumn(string Name, IReadOnlyList<object> Values)
{
    /// <summary>The values' type (<see cref="double"/> for an empty column).</summary>
    public Type Type => Values.Count == 0 ? typeof(double) : Values[0].GetType();
}

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The trials of a study as columns (one row per trial), shared by the CSV writer and the
/// <see cref="Microsoft.ML.IDataView"/>: Number, State, the objective's value, Feasible,
/// Seconds, Worker, one column per hyper-parameter and one per metric.
/// </summary>
internal sealed class TrialColumns
{
    public TrialColumns(StudyResults results)
    {
        var trials = results.Trials;
        var columns = new List<TrialColumn>
        {
            new("Number", [.. trials.Select(t => (object)(double)t.Number)]),
            new("State", [.. trials.Select(t => (object)t.State.ToString())]),
            new(results.Objective.Name, [.. trials.Select(t => (object)(t.Value ?? double.NaN))]),
            new("Feasible", [.. trials.Select(t => (object)t.Feasible)]),
            new("Seconds", [.. trials.Select(t => (object)(t.Duration?.TotalSeconds ?? double.NaN))]),
            new("Worker", [.. trials.Select(t => (object)(t.WorkerId ?? string.Empty))]),
        };
        columns.AddRange(results.Space.Names.Select(n => new TrialColumn(n, [.. trials.Select(t => t.Parameters.Get(n))])));
        columns.AddRange(results.MetricNames().Select(m => new TrialColumn(m, [.. trials.Select(t => (object)t.Metrics.GetValueOrDefault(m, double.NaN))])));
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

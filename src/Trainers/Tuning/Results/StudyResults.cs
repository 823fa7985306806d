using System.Globalization;
using System.Text;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// A study's trials and what to do with them: the best feasible trial, the best few (for coarse
/// to fine), a ranked table, CSV, an <see cref="Microsoft.ML.IDataView"/> and a plot of the
/// objective against each hyper-parameter.
/// </summary>
public sealed class StudyResults
{
    internal StudyResults(SearchSpace space, TuningObjective objective, IReadOnlyList<TrialRecord> trials)
        => (Space, Objective, Trials) = (space, objective, trials);

    /// <summary>The searched hyper-parameters.</summary>
    public SearchSpace Space { get; }

    /// <summary>What the study optimises.</summary>
    public TuningObjective Objective { get; }

    /// <summary>Every trial, by number.</summary>
    public IReadOnlyList<TrialRecord> Trials { get; }

    /// <summary>The best complete trial that satisfies every constraint, or <see langword="null"/> when there is none (ties: the lowest number).</summary>
    public TrialRecord? BestTrial => Ranked().FirstOrDefault();

    /// <summary>The parameters of the <paramref name="count"/> best feasible complete trials, best first (input of <see cref="SearchSpace.NarrowAround"/>).</summary>
    /// <param name="count">How many; at least 1.</param>
    /// <returns>Up to <paramref name="count"/> parameter sets.</returns>
    public IReadOnlyList<TrialParameters> Best(int count)
    {
        OptionCheck.Require(count >= 1, count, nameof(count), "at least 1");
        return [.. Ranked().Take(count).Select(t => t.Parameters)];
    }

    /// <summary>
    /// A text table of the trials, best first: feasible complete trials by value, then infeasible ones,
    /// then the others by state; one column per hyper-parameter and per metric.
    /// </summary>
    /// <param name="top">Rows to show. Default <see langword="null"/>: all.</param>
    /// <returns>The table.</returns>
    public string ToRankedTable(int? top = null)
    {
        OptionCheck.Require(top is null || top >= 1, top, nameof(top), "null or at least 1");
        var metrics = MetricNames();
        var header = new[] { "rank", "trial", "state", Objective.Name }.Concat(Space.Names).Concat(metrics).Append("seconds").ToArray();
        var rows = Ordered().Take(top ?? int.MaxValue).Select((t, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture),
            t.Number.ToString(CultureInfo.InvariantCulture),
            t.State == TrialState.Complete && !t.Feasible ? "infeasible" : t.State.ToString().ToLowerInvariant(),
            Number(t.Value),
        }.Concat(Space.Names.Select(n => TrialParameters.Format(t.Parameters.Get(n))))
         .Concat(metrics.Select(m => Number(t.Metrics.TryGetValue(m, out var v) ? v : null)))
         .Append(Number(t.Duration?.TotalSeconds)).ToArray()).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return text.ToString();
    }

    /// <summary>The trials as an <see cref="IDataView"/>, one row per trial: Number, State, the objective (NaN unless complete), Feasible, Seconds, Worker, Failure (why a trial failed), one column per hyper-parameter (number or text) and one per metric.</summary>
    /// <returns>The data view.</returns>
    public IDataView ToDataView() => new TrialsDataView(new TrialColumns(this));

    /// <summary>Writes the columns of <see cref="ToDataView"/> as a CSV file (invariant culture; an empty cell for a missing number), creating its folder if needed.</summary>
    /// <param name="path">The file to write.</param>
    public void WriteCsv(string path)
    {
        OptionCheck.RequireName(path, nameof(path));
        TrialsCsv.Write(new TrialColumns(this), path);
    }

    /// <summary>
    /// Writes a PNG of the objective against each hyper-parameter (one panel each, side by side) on
    /// the parameter's own scale: a log axis for log-uniform parameters, a log axis of 1 − β for
    /// 1−log-uniform ones, the choices for categorical ones. Complete trials only; the best is marked.
    /// </summary>
    /// <param name="path">The PNG file to write (its folder is created if needed).</param>
    /// <param name="options">Size and title. Default 800 × 600 per <see cref="PlotOptions"/>, widened to 300 pixels per parameter.</param>
    public void PlotObjective(string path, PlotOptions? options = null)
    {
        options ??= new PlotOptions { Width = Math.Max(800, 300 * Space.Dimensions.Count) };
        options.Validate();
        PlotFile.CheckTarget(path, options.Width, options.Height);
        PlotFile.Write(ObjectivePlot.Build(this, options.Title), path, options.Width, options.Height);
    }

    /// <summary>The names of the metrics any trial reported, sorted.</summary>
    internal IReadOnlyList<string> MetricNames() => [.. Trials.SelectMany(t => t.Metrics.Keys).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Trials best first: feasible complete by value, then infeasible complete by value, then the others by state and number.</summary>
    internal IEnumerable<TrialRecord> Ordered()
        => Ranked()
            .Concat(Objective.BestFirst(Trials.Where(t => t.State == TrialState.Complete && !t.Feasible), t => t.Value!.Value))
            .Concat(Trials.Where(t => t.State != TrialState.Complete).OrderBy(t => t.State).ThenBy(t => t.Number));

    private static string Number(double? value) => value?.ToString("G5", CultureInfo.InvariantCulture) ?? string.Empty;

    private IEnumerable<TrialRecord> Ranked()
        => Objective.BestFirst(Trials.Where(t => t.State == TrialState.Complete && t.Feasible && t.Value is not null), t => t.Value!.Value).ThenBy(t => t.Number);
}

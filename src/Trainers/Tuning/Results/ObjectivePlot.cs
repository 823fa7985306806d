using DeepLearning.Trainers.Analysis;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Builds the plot of the objective against each hyper-parameter: one panel per parameter side by
/// side, each on the parameter's own scale (log axis for log-uniform and log-integer parameters,
/// log axis of 1 − β for 1−log-uniform ones, the choices for categorical ones); feasible trials,
/// infeasible trials and the best trial in three colours.
/// </summary>
internal static class ObjectivePlot
{
    private const double Gap = 0.03;
    private static readonly OxyColor Feasible = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    private static readonly OxyColor Infeasible = OxyColor.FromRgb(0xaa, 0xaa, 0xaa);
    private static readonly OxyColor Best = OxyColor.FromRgb(0xd6, 0x27, 0x28);

    public static PlotModel Build(StudyResults results, string? title)
    {
        var model = PlotFile.NewModel(title ?? $"{results.Objective.Name} against each hyper-parameter");
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside, LegendOrientation = LegendOrientation.Horizontal });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Key = "objective", Title = results.Objective.Name, MajorGridlineStyle = LineStyle.Dot });
        var complete = results.Trials.Where(t => t.State == TrialState.Complete && t.Value is not null).ToList();
        var best = results.BestTrial;
        var dimensions = results.Space.Dimensions;
        for (var i = 0; i < dimensions.Count; i++)
        {
            var dimension = dimensions[i];
            var axis = Axis(dimension);
            axis.Key = dimension.Name;
            axis.StartPosition = (i / (double)dimensions.Count) + (i == 0 ? 0 : Gap);
            axis.EndPosition = ((i + 1) / (double)dimensions.Count) - Gap;
            model.Axes.Add(axis);
            var first = i == 0;
            model.Series.Add(Points(dimension, complete.Where(t => t.Feasible && t != best), Feasible, 3, first ? "feasible" : null));
            model.Series.Add(Points(dimension, complete.Where(t => !t.Feasible), Infeasible, 3, first && complete.Any(t => !t.Feasible) ? "infeasible" : null));
            model.Series.Add(Points(dimension, best is null ? [] : [best], Best, 5, first && best is not null ? "best" : null));
        }

        return model;
    }

    private static Axis Axis(SearchDimension dimension)
    {
        var common = (Axis axis) =>
        {
            axis.Position = AxisPosition.Bottom;
            axis.MajorGridlineStyle = LineStyle.Dot;
            return axis;
        };
        if (dimension is CategoricalDimension categorical)
        {
            var choices = categorical.Choices;
            return common(new LinearAxis
            {
                Title = dimension.Name,
                Minimum = -0.5,
                Maximum = choices.Count - 0.5,
                MajorStep = 1,
                MinorStep = 1,
                LabelFormatter = x => x >= 0 && x < choices.Count && x == Math.Round(x) ? choices[(int)x] : string.Empty,
            });
        }

        var numeric = (NumericDimension)dimension;
        var (low, high) = (numeric.AxisPosition(numeric.Min), numeric.AxisPosition(numeric.Max));
        Axis axis = dimension.IsLogarithmic ? new LogarithmicAxis { Title = numeric.AxisTitle } : new LinearAxis { Title = numeric.AxisTitle };
        axis.Minimum = Math.Min(low, high);
        axis.Maximum = Math.Max(low, high);
        if (axis.Minimum == axis.Maximum)
        {
            (axis.Minimum, axis.Maximum) = dimension.IsLogarithmic ? (axis.Minimum / 2, axis.Maximum * 2) : (axis.Minimum - 1, axis.Maximum + 1);
        }

        return common(axis);
    }

    private static ScatterSeries Points(SearchDimension dimension, IEnumerable<TrialRecord> trials, OxyColor color, double size, string? legend)
    {
        var series = new ScatterSeries { XAxisKey = dimension.Name, YAxisKey = "objective", MarkerType = MarkerType.Circle, MarkerFill = color, MarkerSize = size, Title = legend };
        series.Points.AddRange(trials.Select(t => new ScatterPoint(dimension.AxisPosition(t.Parameters.Get(dimension.Name)), t.Value!.Value)));
        return series;
    }
}

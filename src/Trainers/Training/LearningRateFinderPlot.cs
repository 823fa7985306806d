using System.Globalization;
using DeepLearning.Trainers.Analysis;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Training;

/// <summary>Builds the learning-rate finder's plot: loss against rate on a log axis, raw and smoothed, the suggestion and the minimum marked.</summary>
internal static class LearningRateFinderPlot
{
    private static readonly OxyColor Raw = OxyColor.FromArgb(0x60, 0x1f, 0x77, 0xb4);
    private static readonly OxyColor Smoothed = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    private static readonly OxyColor Suggested = OxyColor.FromRgb(0xd6, 0x27, 0x28);

    /// <summary>Builds the plot model.</summary>
    /// <param name="result">The sweep.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(LearningRateFinderResult result, string? title)
    {
        var model = PlotFile.NewModel(title);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomLeft });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "learning rate (log scale)", MajorGridlineStyle = LineStyle.Dot });

        // The diverging tail would squash the interesting part: the axis stops a little above the first smoothed loss.
        var finite = result.SmoothedLosses.Where(double.IsFinite).ToList();
        var top = Math.Max(finite[0], finite.Min()) * 1.25;
        var bottom = Math.Min(finite.Min(), result.Losses.Where(double.IsFinite).DefaultIfEmpty(finite.Min()).Min());
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "training loss", Minimum = bottom - (0.05 * (top - bottom)), Maximum = top, MajorGridlineStyle = LineStyle.Dot });
        model.Series.Add(Line("loss per batch", Raw, 1, result.LearningRates, result.Losses));
        model.Series.Add(Line("smoothed loss", Smoothed, 2, result.LearningRates, result.SmoothedLosses));
        model.Annotations.Add(Marker(result.SuggestedLearningRate, Suggested, LineStyle.Dash, "suggested"));
        model.Annotations.Add(Marker(result.MinimumLossLearningRate, OxyColors.Gray, LineStyle.Dot, "minimum"));
        return model;
    }

    private static LineSeries Line(string title, OxyColor color, double thickness, IReadOnlyList<double> rates, IReadOnlyList<double> losses)
    {
        var series = new LineSeries { Title = title, Color = color, StrokeThickness = thickness };
        for (var i = 0; i < rates.Count; i++)
        {
            series.Points.Add(double.IsFinite(losses[i]) ? new DataPoint(rates[i], losses[i]) : DataPoint.Undefined);
        }

        return series;
    }

    private static LineAnnotation Marker(double rate, OxyColor color, LineStyle style, string label) => new()
    {
        Type = LineAnnotationType.Vertical,
        X = rate,
        Color = color,
        LineStyle = style,
        Text = string.Create(CultureInfo.InvariantCulture, $"{label} {rate:G3}"),
        TextColor = color,
    };
}

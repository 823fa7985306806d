using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds the learning-curve plot: loss per epoch above, the metric per epoch below, best epoch marked in both.</summary>
internal static class LearningCurvePlot
{
    /// <summary>Colour of training curves.</summary>
    internal static readonly OxyColor Training = OxyColor.FromRgb(0x1f, 0x77, 0xb4);

    /// <summary>Colour of validation (dev) curves.</summary>
    internal static readonly OxyColor Validation = OxyColor.FromRgb(0xff, 0x7f, 0x0e);

    /// <summary>Builds the plot model.</summary>
    /// <param name="history">A non-empty history.</param>
    /// <param name="metricName">Name of the objective metric, for the lower panel's axis.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(TrainingHistory history, string metricName, string? title)
    {
        var model = PlotFile.NewModel(title);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside, LegendOrientation = LegendOrientation.Horizontal });
        // Whole epochs only: about ten labelled ticks at most.
        var step = Math.Max(1, (int)Math.Ceiling(history.Count / 10.0));
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "epoch", Minimum = 0.5, Maximum = history.Count + 0.5, MajorStep = step, MinorStep = step, MajorGridlineStyle = LineStyle.Dot });
        AddPanel(model, "loss", "loss", 0.55, 1.0, history, e => e.TrainingLoss, e => e.ValidationLoss, showInLegend: true);
        AddPanel(model, "metric", metricName, 0.0, 0.45, history, e => e.TrainingMetric, e => e.ValidationMetric, showInLegend: false);
        return model;
    }

    private static void AddPanel(
        PlotModel model,
        string key,
        string axisTitle,
        double start,
        double end,
        TrainingHistory history,
        Func<EpochMetrics, double> training,
        Func<EpochMetrics, double?> validation,
        bool showInLegend)
    {
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left,
            Key = key,
            Title = axisTitle,
            StartPosition = start,
            EndPosition = end,
            MajorGridlineStyle = LineStyle.Dot,
        });
        model.Series.Add(Line("training " + axisTitle, key, Training, history.Select(e => (e.Epoch, (double?)training(e))), showInLegend ? "training" : null));
        if (history.Any(e => validation(e) is not null))
        {
            model.Series.Add(Line("validation " + axisTitle, key, Validation, history.Select(e => (e.Epoch, validation(e))), showInLegend ? "validation" : null));
        }

        if (history.BestEpoch >= 1 && history.BestEpoch <= history.Count)
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical,
                X = history.BestEpoch,
                YAxisKey = key,
                Color = OxyColors.Gray,
                LineStyle = LineStyle.Dash,
                Text = showInLegend ? $"best epoch {history.BestEpoch}" : null,
                TextColor = OxyColors.DimGray,
            });
        }
    }

    /// <summary>A line with markers; a missing or non-finite value breaks it.</summary>
    /// <param name="name">Tracker key.</param>
    /// <param name="key">Key of the vertical axis.</param>
    /// <param name="color">Colour.</param>
    /// <param name="points">(x, value) pairs.</param>
    /// <param name="legendTitle">Legend entry, or <see langword="null"/> for none.</param>
    internal static LineSeries Line(string name, string key, OxyColor color, IEnumerable<(int Epoch, double? Value)> points, string? legendTitle)
    {
        var series = new LineSeries
        {
            Title = legendTitle,
            RenderInLegend = legendTitle is not null,
            TrackerKey = name,
            YAxisKey = key,
            Color = color,
            StrokeThickness = 2,
            MarkerType = MarkerType.Circle,
            MarkerSize = 3,
            MarkerFill = color,
        };
        foreach (var (epoch, value) in points)
        {
            // A missing or non-finite value breaks the line instead of joining across it.
            series.Points.Add(value is double v && double.IsFinite(v) ? new DataPoint(epoch, v) : DataPoint.Undefined);
        }

        return series;
    }
}

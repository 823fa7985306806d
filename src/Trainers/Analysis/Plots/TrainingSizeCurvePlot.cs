using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds the plot of train and dev error against training-set size.</summary>
internal static class TrainingSizeCurvePlot
{
    private const string ErrorAxis = "error";

    /// <summary>Builds the plot model.</summary>
    /// <param name="curve">The curve.</param>
    /// <param name="humanError">Human-level error for a dashed line, or <see langword="null"/>.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(TrainingSizeCurve curve, double? humanError, string? title)
    {
        var model = PlotFile.NewModel(title);
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "training rows", MinimumPadding = 0.05, MaximumPadding = 0.05, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Key = ErrorAxis, Title = "error rate", StringFormat = "0%", Minimum = 0, MaximumPadding = 0.1, MajorGridlineStyle = LineStyle.Dot });
        model.Series.Add(LearningCurvePlot.Line("train error", ErrorAxis, LearningCurvePlot.Training, curve.Points.Select(p => (p.Size, (double?)p.TrainError)), "train error"));
        model.Series.Add(LearningCurvePlot.Line("dev error", ErrorAxis, LearningCurvePlot.Validation, curve.Points.Select(p => (p.Size, (double?)p.DevError)), "dev error"));
        if (humanError is { } human)
        {
            model.Annotations.Add(new LineAnnotation { Type = LineAnnotationType.Horizontal, Y = human, YAxisKey = ErrorAxis, Color = OxyColors.Gray, LineStyle = LineStyle.Dash, Text = "human level", TextColor = OxyColors.DimGray });
        }

        return model;
    }
}

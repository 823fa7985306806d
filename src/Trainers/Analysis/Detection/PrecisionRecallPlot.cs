using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds the plot of per-class precision/recall curves at IoU 0.5 (interpolated precision at the 101 recall levels).</summary>
internal static class PrecisionRecallPlot
{
    /// <summary>Builds the plot model: one step line per class with ground truth, AP in its legend entry.</summary>
    /// <param name="evaluation">The metrics.</param>
    /// <param name="title">The title.</param>
    public static PlotModel Build(DetectionEvaluation evaluation, string title)
    {
        var model = PlotFile.NewModel(title);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Recall", Minimum = 0, Maximum = 1.0001 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "Precision (interpolated)", Minimum = 0, Maximum = 1.02 });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomLeft, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });
        foreach (var cls in evaluation.PerClass)
        {
            if (cls.Curve50 is not { } curve)
            {
                continue;
            }

            var series = new LineSeries
            {
                Title = string.Create(CultureInfo.InvariantCulture, $"{cls.ClassName} (AP50 {cls.AveragePrecision50:0.000})"),
                StrokeThickness = 2,
            };
            for (var r = 0; r < PrecisionRecallCurve.RecallLevelCount; r++)
            {
                series.Points.Add(new DataPoint(PrecisionRecallCurve.RecallLevels[r], curve.InterpolatedPrecision[r]));
            }

            model.Series.Add(series);
        }

        return model;
    }
}

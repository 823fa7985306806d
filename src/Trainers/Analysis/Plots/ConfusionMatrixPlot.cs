using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds the confusion-matrix heat map: true class down the rows, predicted class across, the number in each cell.</summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>Builds the plot model.</summary>
    /// <param name="table">The counts.</param>
    /// <param name="normalized">Whether cells show row fractions (otherwise counts).</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(ConfusionTable table, bool normalized, string? title)
    {
        var n = table.ClassNames.Count;
        var model = PlotFile.NewModel(title);

        // HeatMapSeries indexes data[x, y]: x = predicted (columns), y = true class (rows).
        var data = new double[n, n];
        for (var t = 0; t < n; t++)
        {
            for (var p = 0; p < n; p++)
            {
                data[p, t] = normalized ? table.RowNormalized[t, p] : table.Counts[t, p];
            }
        }

        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = "predicted", Key = "x", ItemsSource = table.ClassNames, Angle = n > 6 ? -45 : 0 });
        // True class 0 at the top, as confusion matrices are read.
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, Title = "true", Key = "y", ItemsSource = table.ClassNames, StartPosition = 1, EndPosition = 0 });
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = OxyPalette.Interpolate(256, OxyColors.White, OxyColor.FromRgb(0x08, 0x51, 0x9c)),
            Minimum = 0,
            Maximum = normalized ? 1 : Math.Max(1, data.Cast<double>().Max()),
            Title = normalized ? "fraction of true class" : "count",
        });
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0,
            X1 = n - 1,
            Y0 = 0,
            Y1 = n - 1,
            XAxisKey = "x",
            YAxisKey = "y",
            Data = data,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            Interpolate = false,
            LabelFormatString = normalized ? "0.00" : "0",
            LabelFontSize = n > 12 ? 0.12 : 0.18,
        });
        return model;
    }
}

using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds the diagnosis bar chart: the error of each set, then each gap, the largest gap highlighted.</summary>
internal static class DiagnosisPlot
{
    private static readonly OxyColor Error = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    private static readonly OxyColor Gap = OxyColor.FromRgb(0xaa, 0xaa, 0xaa);
    private static readonly OxyColor Largest = OxyColor.FromRgb(0xd6, 0x27, 0x28);

    /// <summary>Builds the plot model.</summary>
    /// <param name="diagnosis">The diagnosis.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(ErrorDiagnosis diagnosis, string? title)
    {
        var model = PlotFile.NewModel(title);
        var bars = DiagnosisText.Errors(diagnosis)
            .Select(e => (Label: e.Label + " error", Value: e.Error, Color: Error))
            .Concat(diagnosis.Gaps.Select(g => (Label: $"{g.Name} ({g.Between})", Value: g.Size, Color: ReferenceEquals(g, diagnosis.LargestGap) ? Largest : Gap)))
            .ToArray();

        // BarSeries draws horizontal bars: categories down the left, first at the top.
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, ItemsSource = bars.Select(b => b.Label).ToArray(), StartPosition = 1, EndPosition = 0 });
        var low = Math.Min(0, bars.Min(b => b.Value));
        var high = Math.Max(0.01, bars.Max(b => b.Value));
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom,
            Title = "error rate / gap",
            StringFormat = "0%",
            Minimum = low - 0.05 * (high - low),
            Maximum = high + 0.15 * (high - low),
            MajorGridlineStyle = LineStyle.Dot,
        });
        var series = new BarSeries { LabelFormatString = "{0:0.0%}", LabelPlacement = LabelPlacement.Outside, StrokeThickness = 0 };
        foreach (var bar in bars)
        {
            series.Items.Add(new BarItem(bar.Value) { Color = bar.Color });
        }

        model.Series.Add(series);
        return model;
    }
}

using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using SkiaSharp;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>Writes test accuracy against examples per class, one line per method, as a PNG (OxyPlot).</summary>
internal static class AccuracyPlot
{
    private const int Width = 900;
    private const int Height = 600;
    private const string Font = "DejaVu Sans";

    /// <summary>Plots <paramref name="measurements"/> (log x axis, error bars over the repetitions) to <paramref name="path"/>.</summary>
    /// <param name="measurements">Every (method, size) measured.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void Write(IReadOnlyList<Measurement> measurements, string path)
    {
        var model = new PlotModel
        {
            Title = "Transfer learning: Fashion-MNIST → real MNIST digits (small CNN)",
            Background = OxyColors.White,
            DefaultFont = Font,
            TitleFontSize = 14,
            TitleFontWeight = FontWeights.Normal,
        };
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom,
            Title = "labelled examples per class (log scale)",
            Minimum = 7,
            Maximum = 1100,
            MajorGridlineStyle = LineStyle.Solid,
            MinorGridlineStyle = LineStyle.Dot,
        });
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Left,
            Title = "test accuracy (2010 digits)",
            Maximum = 1,
            MajorGridlineStyle = LineStyle.Solid,
            StringFormat = "P0",
        });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomRight, LegendBackground = OxyColors.White, LegendBorder = OxyColors.Gray });
        foreach (var method in Enum.GetValues<TransferMethod>())
        {
            var points = measurements.Where(m => m.Method == method).OrderBy(m => m.PerClass).ToArray();
            var color = Color(method);
            var line = new LineSeries { Title = method.Name(), Color = color, MarkerFill = color, MarkerType = MarkerType.Circle, MarkerSize = 4, StrokeThickness = 2 };
            line.Points.AddRange(points.Select(m => new DataPoint(m.PerClass, m.Mean)));
            model.Series.Add(line);
            var bars = new ScatterErrorSeries { MarkerSize = 0, ErrorBarColor = color, ErrorBarStopWidth = 3 };
            bars.Points.AddRange(points.Select(m => new ScatterErrorPoint(m.PerClass, m.Mean, 0, m.HalfRange)));
            model.Series.Add(bars);
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        new OxyPlot.SkiaSharp.PngExporter { Width = Width, Height = Height, Dpi = 96, UseTextShaping = HasFont() }.Export(model, stream);
    }

    /// <summary>The line colour of <paramref name="method"/>: distinct hues (blue, orange, green).</summary>
    private static OxyColor Color(TransferMethod method) => method switch
    {
        TransferMethod.Scratch => OxyColor.FromRgb(0x1F, 0x77, 0xB4),
        TransferMethod.FeaturizerLinear => OxyColor.FromRgb(0xFF, 0x7F, 0x0E),
        _ => OxyColor.FromRgb(0x2C, 0xA0, 0x2C),
    };

    /// <summary>Whether SkiaSharp finds the font (text shaping fails without one; the plot is then drawn without text).</summary>
    private static bool HasFont()
    {
        using var typeface = SKTypeface.FromFamilyName(Font);
        using var data = typeface?.OpenStream();
        return data is not null && data.Length > 0;
    }
}

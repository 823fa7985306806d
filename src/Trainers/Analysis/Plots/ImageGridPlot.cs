using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Builds a grid of titled images: each tile an OxyPlot image annotation with a text annotation above it.</summary>
internal static class ImageGridPlot
{
    /// <summary>Builds the plot model.</summary>
    /// <param name="pngs">PNG bytes of each tile, row-major.</param>
    /// <param name="captions">Caption of each tile.</param>
    /// <param name="columns">Tiles per row.</param>
    /// <param name="aspect">Width over height of the images.</param>
    /// <param name="width">Width of the PNG in pixels.</param>
    /// <param name="height">Height of the PNG in pixels.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(IReadOnlyList<byte[]> pngs, IReadOnlyList<string> captions, int columns, double aspect, int width, int height, string? title)
    {
        var rows = Math.Max(1, (pngs.Count + columns - 1) / columns);

        // The largest tile that keeps the images' aspect ratio inside its cell (title and caption rows taken off).
        var cellWidth = 0.9 * (width - 16) / columns;
        var cellHeight = 0.78 * (height - (title is null ? 16 : 46)) / rows;
        var tileWidth = Math.Max(1, Math.Min(cellWidth, cellHeight * aspect));

        // Captions shrink (down to 7 pt) to fit their cell; a glyph is about 0.6 em wide.
        var longest = Math.Max(1, captions.Count == 0 ? 1 : captions.Max(c => c.Length));
        var fontSize = Math.Clamp(cellWidth / (0.6 * longest), 7, 12);
        var model = PlotFile.NewModel(title);
        model.PlotAreaBorderThickness = new OxyThickness(0);

        // One data unit per tile, with room for its caption: tile i spans x in [col, col + 0.9], y below its caption.
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = -0.05, Maximum = columns - 0.05, IsAxisVisible = false });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Minimum = -rows, Maximum = 0, IsAxisVisible = false });
        for (var i = 0; i < pngs.Count; i++)
        {
            double x = i % columns;
            double top = -(i / columns);
            model.Annotations.Add(new ImageAnnotation
            {
                ImageSource = new OxyImage(pngs[i]),
                X = new PlotLength(x + 0.45, PlotLengthUnit.Data),
                Y = new PlotLength(top - 0.18, PlotLengthUnit.Data),
                Width = new PlotLength(tileWidth, PlotLengthUnit.ScreenUnits),
                Height = new PlotLength(tileWidth / aspect, PlotLengthUnit.ScreenUnits),
                HorizontalAlignment = HorizontalAlignment.Center,
                VerticalAlignment = VerticalAlignment.Top,
                Interpolate = false,
            });
            model.Annotations.Add(new TextAnnotation
            {
                Text = captions[i],
                TextPosition = new DataPoint(x + 0.45, top - 0.02),
                TextHorizontalAlignment = HorizontalAlignment.Center,
                TextVerticalAlignment = VerticalAlignment.Top,
                Stroke = OxyColors.Transparent,
                FontSize = fontSize,
            });
        }

        return model;
    }
}

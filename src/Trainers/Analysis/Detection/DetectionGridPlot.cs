using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Builds a grid of images with their boxes drawn over them: each image an OxyPlot image annotation placed in
/// data units of pixels (y pointing down), each box a rectangle annotation in the same units, so boxes stay on
/// their pixels at any PNG size. Predictions are labelled with class and score; ground truth has its own colour.
/// </summary>
internal static class DetectionGridPlot
{
    /// <summary>Colour of predicted boxes and their labels.</summary>
    public static readonly OxyColor PredictionColour = OxyColor.FromRgb(230, 40, 40);

    /// <summary>Colour of ground-truth boxes.</summary>
    public static readonly OxyColor TruthColour = OxyColor.FromRgb(40, 200, 60);

    /// <summary>Gap between tiles, as a fraction of the image width.</summary>
    private const double Gap = 0.06;

    /// <summary>Room for a tile's caption, as a fraction of the image height.</summary>
    private const double CaptionRoom = 0.14;

    /// <summary>Builds the plot model.</summary>
    /// <param name="pngs">PNG bytes of each image.</param>
    /// <param name="detections">Ground truth and predictions of each image, in pixels of the image.</param>
    /// <param name="captions">Caption of each tile.</param>
    /// <param name="classNames">Class names.</param>
    /// <param name="minScore">Predictions scoring below this are not drawn.</param>
    /// <param name="layout">Tiles per row, image size in pixels and the PNG size.</param>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel Build(
        IReadOnlyList<byte[]> pngs,
        IReadOnlyList<DetectionImage> detections,
        IReadOnlyList<string> captions,
        IReadOnlyList<string> classNames,
        float minScore,
        (int Columns, int ImageWidth, int ImageHeight, int Width, int Height) layout,
        string? title)
    {
        var (columns, w, h) = (layout.Columns, (double)layout.ImageWidth, (double)layout.ImageHeight);
        var rows = Math.Max(1, (pngs.Count + columns - 1) / columns);
        var cellWidth = w * (1 + Gap);
        var cellHeight = h * (1 + Gap + CaptionRoom);
        var model = PlotFile.NewModel(title);
        model.PlotAreaBorderThickness = new OxyThickness(0);
        model.PlotMargins = new OxyThickness(4);
        var (padX, padY) = EqualScale(columns * cellWidth, rows * cellHeight, layout.Width - 8, layout.Height - (title is null ? 8 : 40));
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = -padX, Maximum = (columns * cellWidth) + padX, IsAxisVisible = false });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Minimum = -padY, Maximum = (rows * cellHeight) + padY, StartPosition = 1, EndPosition = 0, IsAxisVisible = false });

        // A glyph is about 0.6 em wide; captions and box labels shrink with the tiles (7 to 11 pt).
        var pixelsPerUnit = (layout.Width - 8) / ((columns * cellWidth) + (2 * padX));
        var fontSize = Math.Clamp(w * pixelsPerUnit / 14, 7, 11);
        for (var i = 0; i < pngs.Count; i++)
        {
            var left = (i % columns) * cellWidth;
            var top = ((i / columns) * cellHeight) + (h * CaptionRoom);
            model.Annotations.Add(new ImageAnnotation
            {
                ImageSource = new OxyImage(pngs[i]),
                X = new PlotLength(left + (w / 2), PlotLengthUnit.Data),
                Y = new PlotLength(top + (h / 2), PlotLengthUnit.Data),
                Width = new PlotLength(w, PlotLengthUnit.Data),
                Height = new PlotLength(h, PlotLengthUnit.Data),
                HorizontalAlignment = HorizontalAlignment.Center,
                VerticalAlignment = VerticalAlignment.Middle,
                Interpolate = false,
            });
            model.Annotations.Add(Text(captions[i], left + (w / 2), top - (h * 0.02), OxyColors.Black, fontSize, HorizontalAlignment.Center));
            AddBoxes(model, detections[i], classNames, minScore, (left, top), fontSize);
        }

        return model;
    }

    private static void AddBoxes(PlotModel model, DetectionImage image, IReadOnlyList<string> classNames, float minScore, (double Left, double Top) at, double fontSize)
    {
        for (var o = 0; o < image.Labels.Length; o++)
        {
            model.Annotations.Add(Rectangle(image.Boxes, o, at, TruthColour, LineStyle.Dash));
        }

        for (var p = 0; p < image.PredictedLabels.Length; p++)
        {
            if (image.Scores[p] < minScore)
            {
                continue;
            }

            model.Annotations.Add(Rectangle(image.PredictedBoxes, p, at, PredictionColour, LineStyle.Solid));
            var label = string.Create(CultureInfo.InvariantCulture, $"{classNames[image.PredictedLabels[p]]} {image.Scores[p]:0.00}");
            model.Annotations.Add(Text(label, at.Left + image.PredictedBoxes[4 * p], at.Top + image.PredictedBoxes[(4 * p) + 1], PredictionColour, fontSize * 0.85, HorizontalAlignment.Left));
        }
    }

    private static PolygonAnnotation Rectangle(float[] boxes, int index, (double Left, double Top) at, OxyColor colour, LineStyle style)
    {
        double x1 = at.Left + boxes[4 * index], y1 = at.Top + boxes[(4 * index) + 1];
        double x2 = at.Left + boxes[(4 * index) + 2], y2 = at.Top + boxes[(4 * index) + 3];
        var rectangle = new PolygonAnnotation { Fill = OxyColors.Transparent, Stroke = colour, StrokeThickness = 1.5, LineStyle = style };
        rectangle.Points.AddRange([new DataPoint(x1, y1), new DataPoint(x2, y1), new DataPoint(x2, y2), new DataPoint(x1, y2)]);
        return rectangle;
    }

    /// <summary>Text whose bottom edge is at <paramref name="y"/> (above it on screen, the y axis pointing down).</summary>
    private static TextAnnotation Text(string text, double x, double y, OxyColor colour, double fontSize, HorizontalAlignment alignment) => new()
    {
        Text = text,
        TextPosition = new DataPoint(x, y),
        TextHorizontalAlignment = alignment,
        TextVerticalAlignment = VerticalAlignment.Bottom,
        TextColor = colour,
        Stroke = OxyColors.Transparent,
        FontSize = fontSize,
    };

    /// <summary>Padding that gives both axes the same pixels per data unit, so images keep their aspect ratio.</summary>
    private static (double X, double Y) EqualScale(double dataWidth, double dataHeight, double areaWidth, double areaHeight)
    {
        var aspect = Math.Max(1, areaWidth) / Math.Max(1, areaHeight);
        return dataWidth / dataHeight < aspect
            ? (((dataHeight * aspect) - dataWidth) / 2, 0)
            : (0, ((dataWidth / aspect) - dataHeight) / 2);
    }
}

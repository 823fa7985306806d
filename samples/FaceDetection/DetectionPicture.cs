using DeepLearning.Transforms.Detection;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using SkiaSharp;

namespace DeepLearning.Samples.FaceDetection;

/// <summary>Writes a photograph with its detected faces boxed and scored, as a PNG (OxyPlot).</summary>
internal static class DetectionPicture
{
    private const int Width = 960;

    /// <summary>Draws <paramref name="faces"/> over the image file <paramref name="imagePath"/> (<paramref name="width"/>×<paramref name="height"/> pixels) into <paramref name="pngPath"/>.</summary>
    public static void Write(string imagePath, int width, int height, IReadOnlyList<DetectedFace> faces, string pngPath)
    {
        var model = new PlotModel { Background = OxyColors.White, PlotAreaBorderThickness = new OxyThickness(0), Padding = new OxyThickness(0), DefaultFont = "DejaVu Sans" };

        // One data unit per image pixel; y grows downwards as in the image.
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = 0, Maximum = width, IsAxisVisible = false });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Minimum = 0, Maximum = height, StartPosition = 1, EndPosition = 0, IsAxisVisible = false });
        model.Annotations.Add(new ImageAnnotation
        {
            ImageSource = new OxyImage(AsPng(imagePath, height)),
            X = new PlotLength(0, PlotLengthUnit.Data),
            Y = new PlotLength(0, PlotLengthUnit.Data),
            Width = new PlotLength(width, PlotLengthUnit.Data),
            Height = new PlotLength(height, PlotLengthUnit.Data),
            HorizontalAlignment = HorizontalAlignment.Left,
            VerticalAlignment = VerticalAlignment.Top,
            Layer = AnnotationLayer.BelowSeries,
        });
        foreach (var face in faces)
        {
            model.Annotations.Add(new RectangleAnnotation
            {
                MinimumX = face.Left,
                MaximumX = face.Right,
                MinimumY = face.Top,
                MaximumY = face.Bottom,
                Fill = OxyColors.Transparent,
                Stroke = OxyColors.Lime,
                StrokeThickness = 3,
                Text = $"{face.Score:F2}",
                TextColor = OxyColors.Lime,
                TextPosition = new DataPoint(face.Left, face.Top),
                TextHorizontalAlignment = HorizontalAlignment.Left,
                TextVerticalAlignment = VerticalAlignment.Bottom,
            });
        }

        using var stream = File.Create(pngPath);
        new OxyPlot.SkiaSharp.PngExporter { Width = Width, Height = Width * height / width, Dpi = 96 }.Export(model, stream);
    }

    // OxyPlot reads PNG and BMP only: the photograph, scaled to the picture's width, re-encoded as PNG.
    private static byte[] AsPng(string imagePath, int height)
    {
        using var original = SKBitmap.Decode(imagePath);
        using var scaled = original.Resize(new SKImageInfo(Width, Width * height / original.Width), SKFilterQuality.Medium);
        using var data = scaled.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

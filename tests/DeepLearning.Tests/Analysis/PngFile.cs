using SkiaSharp;

namespace DeepLearning.Tests.Analysis;

/// <summary>Checks on a written PNG: it decodes, has the size asked for and is not blank.</summary>
internal static class PngFile
{
    public static void AssertPlot(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        var distinct = new HashSet<uint>();
        double sum = 0, sumSquares = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                distinct.Add((uint)c);
                double grey = (c.Red + c.Green + c.Blue) / 3.0;
                sum += grey;
                sumSquares += grey * grey;
            }
        }

        var n = (bitmap.Width / 2.0) * (bitmap.Height / 2.0);
        var variance = sumSquares / n - (sum / n) * (sum / n);
        Assert.True(variance > 10, $"{path} looks blank: grey variance {variance:0.0}");
        Assert.True(distinct.Count > 3, $"{path} looks blank: {distinct.Count} distinct colours");
    }

    public static string TempPath(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "deeplearning-plots-" + Environment.ProcessId);
        return Path.Combine(folder, name);
    }
}

using DeepLearning.Transforms.Inputs;
using Microsoft.ML;
using SkiaSharp;

namespace DeepLearning.Tests.Inputs;

/// <summary>Reads every row of a column through an input adapter, as training and scoring do.</summary>
internal static class ImageReading
{
    /// <summary>Each row's tensor, flattened.</summary>
    public static List<float[]> ReadAll(InputAdapter adapter, IDataView data)
    {
        var bound = adapter.Bind(data.Schema);
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([bound.Column]);
        using var reader = bound.CreateReader(cursor);
        while (cursor.MoveNext())
        {
            var row = new float[adapter.Length];
            Assert.True(reader.Read(row, cursor.Position));
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> bitmap whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> color, SKColorType type = SKColorType.Rgba8888, SKAlphaType alpha = SKAlphaType.Unpremul)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, type, alpha));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, color(x, y));
            }
        }

        return bitmap;
    }

    /// <summary>Value (channel, y, x) of a flattened <c>[C, H, W]</c> tensor.</summary>
    public static float At(float[] tensor, int height, int width, int channel, int y, int x) => tensor[(((channel * height) + y) * width) + x];
}

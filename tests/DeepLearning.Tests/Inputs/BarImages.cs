using Microsoft.ML.Data;
using SkiaSharp;

namespace DeepLearning.Tests.Inputs;

/// <summary>
/// A tiny image task drawn in the tests: a bright bar of random colour, horizontal (label <c>h</c>)
/// or vertical (<c>v</c>), at a random place on a dark noisy background. A convolution followed by
/// global average pooling can tell the two apart; a blind guess is right half the time.
/// </summary>
internal static class BarImages
{
    public const int Size = 28;

    /// <summary>One image as every column kind holds it.</summary>
    public sealed class Row
    {
        public string Label { get; set; } = string.Empty;

        /// <summary>File name, relative to the folder the images were written to.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>The PNG file's bytes.</summary>
        public byte[] Bytes { get; set; } = [];

        /// <summary>Grey values in [0, 1], row-major, 28 × 28.</summary>
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>Draws <paramref name="count"/> images, alternating labels, and writes them as PNG files to <paramref name="folder"/>.</summary>
    public static List<Row> Write(string folder, int count, int seed, string prefix = "bar")
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var horizontal = i % 2 == 0;
            using var bitmap = Draw(horizontal, random);
            var bytes = Png(bitmap);
            var name = $"{prefix}-{seed}-{i}.png";
            File.WriteAllBytes(System.IO.Path.Combine(folder, name), bytes);
            rows.Add(new Row { Label = horizontal ? "h" : "v", Path = name, Bytes = bytes, Pixels = Grey(bitmap) });
        }

        return rows;
    }

    /// <summary>The PNG encoding of <paramref name="bitmap"/>.</summary>
    public static byte[] Png(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>An <see cref="MLImage"/> holding the pixels of <paramref name="bitmap"/>.</summary>
    public static MLImage ToMLImage(SKBitmap bitmap)
    {
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        return MLImage.CreateFromPixels(rgba.Width, rgba.Height, MLPixelFormat.Rgba32, rgba.GetPixelSpan());
    }

    private static SKBitmap Draw(bool horizontal, Random random)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[Size * Size * 4];
        for (var p = 0; p < Size * Size; p++)
        {
            var noise = (byte)random.Next(0, 40);
            pixels[(4 * p) + 0] = noise;
            pixels[(4 * p) + 1] = noise;
            pixels[(4 * p) + 2] = noise;
            pixels[(4 * p) + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { Color = SKColor.FromHsv(random.Next(0, 360), 70, 100), IsAntialias = false };
        var length = random.Next(14, 24);
        var across = random.Next(3, Size - 6);
        var along = random.Next(0, Size - length);
        var bar = horizontal ? SKRect.Create(along, across, length, 3) : SKRect.Create(across, along, 3, length);
        canvas.DrawRect(bar, paint);
        return bitmap;
    }

    private static float[] Grey(SKBitmap bitmap)
    {
        var pixels = bitmap.GetPixelSpan();
        var grey = new float[Size * Size];
        for (var p = 0; p < grey.Length; p++)
        {
            grey[p] = ((0.299f * pixels[4 * p]) + (0.587f * pixels[(4 * p) + 1]) + (0.114f * pixels[(4 * p) + 2])) / 255f;
        }

        return grey;
    }
}

using SkiaSharp;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Encodes a <c>[C, H, W]</c> float image as PNG bytes (SkiaSharp), for an OxyPlot image annotation.</summary>
internal static class ImageTile
{
    /// <summary>Encodes one image, stretched from its own minimum and maximum to 0..255 (one range for all channels).</summary>
    /// <param name="pixels">Planar pixels, <c>channels × height × width</c>.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <returns>PNG bytes.</returns>
    public static byte[] EncodePng(ReadOnlySpan<float> pixels, int channels, int height, int width)
    {
        var plane = height * width;
        var (min, max) = Range(pixels);
        var scale = max > min ? 255f / (max - min) : 0f;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[plane * 4];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var value = pixels[(channels == 1 ? 0 : c) * plane + i];
                rgba[i * 4 + c] = (byte)Math.Clamp(MathF.Round((value - min) * scale), 0, 255);
            }

            rgba[i * 4 + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Encodes every image after checking its size against the shape.</summary>
    /// <param name="images">Planar images.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <returns>PNG bytes of each image.</returns>
    /// <exception cref="ArgumentException">An image is missing or has the wrong number of values.</exception>
    public static byte[][] EncodeAll(IReadOnlyList<float[]> images, int channels, int height, int width)
    {
        var pngs = new byte[images.Count][];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i] is null || images[i].Length != channels * height * width)
            {
                throw new ArgumentException($"images[{i}] has {images[i]?.Length ?? 0} values; the shape [{channels}, {height}, {width}] needs {channels * height * width}.", nameof(images));
            }

            pngs[i] = EncodePng(images[i], channels, height, width);
        }

        return pngs;
    }

    private static (float Min, float Max) Range(ReadOnlySpan<float> pixels)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var v in pixels)
        {
            if (float.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return float.IsFinite(min) ? (min, max) : (0, 0);
    }
}

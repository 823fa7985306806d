using Microsoft.ML.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>Copies an <c>MLImage</c>'s or a Skia image's pixels into a tensor (RGB, <c>[1, 3, H, W]</c>).</summary>
internal static class ImagePixels
{
    private const int BytesPerPixel = 4;

    /// <summary>The image as RGB floats in [0, 255], <c>[1, 3, H, W]</c> (alpha dropped).</summary>
    /// <param name="image">A 32-bit RGBA or BGRA image.</param>
    /// <exception cref="ArgumentException">Another pixel format, or rows with padding.</exception>
    public static Tensor ToRgbTensor(MLImage image)
    {
        using var scope = NewDisposeScope();
        return ToRgbBytes(image).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The image as RGB bytes, <c>[1, 3, H, W]</c> (alpha dropped; a strided view of one copy of the pixels).</summary>
    /// <param name="image">A 32-bit RGBA or BGRA image.</param>
    /// <exception cref="ArgumentException">Another pixel format, or rows with padding.</exception>
    public static Tensor ToRgbBytes(MLImage image)
    {
        long[] channels = image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => [0, 1, 2],
            MLPixelFormat.Bgra32 => [2, 1, 0],
            _ => [],
        };
        var pixels = image.Pixels;
        if (channels.Length == 0 || image.BitsPerPixel != 8 * BytesPerPixel || pixels.Length != (long)image.Width * image.Height * BytesPerPixel)
        {
            throw new ArgumentException($"The image must hold 32-bit RGBA or BGRA pixels without row padding; it is {image.Width}×{image.Height} {image.PixelFormat} at {image.BitsPerPixel} bits per pixel ({pixels.Length} bytes).", nameof(image));
        }

        return FromInterleaved(pixels.ToArray(), image.Height, image.Width, channels);
    }

    /// <summary>A copy of a Skia image's pixels as interleaved RGBA bytes (<c>H × W × 4</c>, alpha 255).</summary>
    /// <param name="image">The image.</param>
    /// <exception cref="ArgumentException">Skia cannot convert the image's pixels to RGBA.</exception>
    public static byte[] ReadRgba(SKImage image)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (!image.ReadPixels(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes, 0, 0))
        {
            throw new ArgumentException($"The {image.Width}×{image.Height} image's pixels cannot be converted to RGBA.", nameof(image));
        }

        return bitmap.GetPixelSpan().ToArray();
    }

    /// <summary>Interleaved RGBA bytes (<see cref="ReadRgba"/>) as RGB bytes <c>[1, 3, H, W]</c> (a strided view of one copy).</summary>
    /// <param name="rgba">The pixels, <c>H × W × 4</c> bytes.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    public static Tensor FromRgba(byte[] rgba, int height, int width) => FromInterleaved(rgba, height, width, [0, 1, 2]);

    private static Tensor FromInterleaved(byte[] pixels, int height, int width, long[] channels)
    {
        using var scope = NewDisposeScope();
        var raw = tensor(pixels, ScalarType.Byte).view(1, height, width, BytesPerPixel).permute(0, 3, 1, 2);
        var rgb = channels.SequenceEqual([0L, 1, 2]) ? raw.narrow(1, 0, channels.Length) : raw.index_select(1, tensor(channels));
        return rgb.MoveToOuterDisposeScope();
    }
}

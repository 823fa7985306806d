using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>Copies an <c>MLImage</c>'s pixels into a tensor.</summary>
internal static class ImagePixels
{
    private const int BytesPerPixel = 4;

    /// <summary>The image as RGB floats in [0, 255], <c>[1, 3, H, W]</c> (alpha dropped).</summary>
    /// <param name="image">A 32-bit RGBA or BGRA image.</param>
    /// <exception cref="ArgumentException">Another pixel format, or rows with padding.</exception>
    public static Tensor ToRgbTensor(MLImage image)
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

        using var scope = NewDisposeScope();
        var raw = tensor(pixels.ToArray(), ScalarType.Byte).view(image.Height, image.Width, BytesPerPixel);
        return raw.index_select(2, tensor(channels)).permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}

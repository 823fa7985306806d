using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>
/// Draws each image at the network's <c>Width × Height</c> as the resize policy says, into one
/// reused RGBA bitmap, with SkiaSharp (bilinear filtering with mipmaps when the size changes; an
/// image already of the target size is copied exactly).
/// </summary>
internal sealed class ImageResampler : IDisposable
{
    private readonly ImageInputOptions _options;
    private readonly SKBitmap _target;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint;

    public ImageResampler(ImageInputOptions options)
    {
        _options = options;
        _target = new SKBitmap(new SKImageInfo(options.Width, options.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _canvas = new SKCanvas(_target);

        // Src: the image replaces the target's pixels (no blending); the padding is the cleared black.
        _paint = new SKPaint { FilterQuality = SKFilterQuality.Medium, BlendMode = SKBlendMode.Src, IsAntialias = false };
    }

    /// <summary>
    /// The image drawn at the target size, as <c>Height × Width</c> RGBA bytes (alpha 255), valid until the next call.
    /// </summary>
    /// <param name="image">The source image.</param>
    /// <param name="wrongSize">Makes the exception for an image of another size under <see cref="ImageResizePolicy.None"/>.</param>
    public ReadOnlySpan<byte> Draw(SKImage image, Func<Exception> wrongSize)
    {
        if (_options.Resize == ImageResizePolicy.None && (image.Width != _options.Width || image.Height != _options.Height))
        {
            throw wrongSize();
        }

        var (source, destination) = Rectangles(image.Width, image.Height, _options.Width, _options.Height, _options.Resize);
        _canvas.Clear(SKColors.Black);
        _canvas.DrawImage(image, source, destination, _paint);
        _canvas.Flush();
        return _target.GetPixelSpan();
    }

    /// <summary>The part of a <paramref name="width"/> × <paramref name="height"/> image to draw, and where in the target.</summary>
    internal static (SKRect Source, SKRect Destination) Rectangles(int width, int height, int targetWidth, int targetHeight, ImageResizePolicy policy)
    {
        var whole = SKRect.Create(width, height);
        var target = SKRect.Create(targetWidth, targetHeight);
        float scaleX = (float)targetWidth / width, scaleY = (float)targetHeight / height;
        switch (policy)
        {
            case ImageResizePolicy.Pad:
                {
                    // Fit inside, centred, on whole pixels so the bars are clean.
                    var scale = Math.Min(scaleX, scaleY);
                    var w = Math.Clamp((int)MathF.Round(width * scale), 1, targetWidth);
                    var h = Math.Clamp((int)MathF.Round(height * scale), 1, targetHeight);
                    return (whole, SKRect.Create((targetWidth - w) / 2, (targetHeight - h) / 2, w, h));
                }

            case ImageResizePolicy.CenterCrop:
                {
                    // Cover the target: cut the centre of the image with the target's aspect ratio.
                    var scale = Math.Max(scaleX, scaleY);
                    float w = Math.Min(width, targetWidth / scale), h = Math.Min(height, targetHeight / scale);
                    return (SKRect.Create((width - w) / 2, (height - h) / 2, w, h), target);
                }

            default:
                return (whole, target);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _paint.Dispose();
        _canvas.Dispose();
        _target.Dispose();
    }
}

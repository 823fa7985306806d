using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>
/// Decodes encoded images (PNG, JPEG, …) with a Skia codec into a bitmap reused while the size
/// stays the same. Colours are decoded premultiplied by alpha, as ML.NET's <c>MLImage</c> holds
/// them, and the result is viewed as opaque so that the alpha byte is dropped.
/// </summary>
internal sealed class EncodedImageDecoder : IDisposable
{
    private SKBitmap? _bitmap;
    private SKImage? _image;

    /// <summary>Decodes the first frame of <paramref name="codec"/>; the image is valid until the next call.</summary>
    /// <param name="codec">The codec of the encoded image.</param>
    /// <param name="fail">Makes the exception for a decoding failure, given its reason.</param>
    public SKImage Decode(SKCodec codec, Func<string, Exception> fail)
    {
        _image?.Dispose();
        _image = null;
        var size = codec.Info;
        if ((long)size.Width * size.Height > ImageInputOptions.MaxPixels)
        {
            throw fail($"{size.Width}×{size.Height} pixels is more than the {ImageInputOptions.MaxPixels} this reader decodes");
        }

        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        if (_bitmap is null || _bitmap.Width != info.Width || _bitmap.Height != info.Height)
        {
            _bitmap?.Dispose();
            _bitmap = new SKBitmap(info);
        }

        var result = codec.GetPixels(info, _bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw fail(result == SKCodecResult.IncompleteInput ? "the data is truncated" : $"the decoder says {result}");
        }

        using var pixmap = new SKPixmap(info.WithAlphaType(SKAlphaType.Opaque), _bitmap.GetPixels(), _bitmap.RowBytes);
        _image = SKImage.FromPixels(pixmap) ?? throw fail("Skia could not wrap the decoded pixels");
        return _image;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
        _bitmap?.Dispose();
        _bitmap = null;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>Reads an <c>MLImage</c> column. The <c>MLImage</c> stays its owner's (ML.NET's image loader disposes it); its pixels are copied into an opaque Skia image.</summary>
internal sealed class MLImageSource(string column, ValueGetter<MLImage> getter) : ImageSource(column)
{
    // The getter's value: null until read, and null when the row holds no image.
    private MLImage _value = null!;
    private SKImage? _image;

    public override SKImage Read(long position)
    {
        getter(ref _value);
        _image?.Dispose();
        _image = null;
        if (_value is null)
        {
            throw ImageErrors.Missing(Column, position, "the MLImage is null");
        }

        var colorType = _value.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => SKColorType.Bgra8888,
            MLPixelFormat.Rgba32 => SKColorType.Rgba8888,
            _ => SKColorType.Unknown,
        };
        var pixels = _value.Pixels;
        var rowBytes = pixels.Length / Math.Max(1, _value.Height);
        if (colorType == SKColorType.Unknown || _value.BitsPerPixel != 32 || rowBytes < 4 * _value.Width || rowBytes * _value.Height != pixels.Length)
        {
            throw ImageErrors.UnsupportedPixels(Column, position, Describe());
        }

        // Opaque: the alpha byte is ignored and the colours are taken as stored.
        var info = new SKImageInfo(_value.Width, _value.Height, colorType, SKAlphaType.Opaque);
        _image = SKImage.FromPixelCopy(info, pixels, rowBytes)
            ?? throw ImageErrors.UnsupportedPixels(Column, position, Describe());
        return _image;
    }

    public override string Describe() => _value is null
        ? "a null MLImage"
        : $"the MLImage ({_value.PixelFormat}, {_value.BitsPerPixel} bits per pixel)";

    protected override void Dispose(bool disposing)
    {
        _image?.Dispose();
        _image = null;
    }
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Transforms.Inputs;

/// <summary>
/// How an image becomes the network's input tensor <c>[Channels, Height, Width]</c>: the size the
/// network takes, the channels and their order, the pixel scaling and the resize policy. Saved with
/// the model inside its <see cref="ImageInput"/>, so scoring prepares images exactly as training did.
/// </summary>
/// <remarks>
/// Per row: the image is decoded (or taken from the <c>MLImage</c>), drawn at <see cref="Width"/> ×
/// <see cref="Height"/> by SkiaSharp as <see cref="Resize"/> says (bilinear with mipmaps), and each
/// channel becomes a plane of <c>byte × <see cref="PixelScale"/></c>. A grey image given to a colour
/// network is repeated over the three channels; a colour image given to a grey network
/// (<see cref="Channels"/> = 1) becomes its luma <c>0.299 R + 0.587 G + 0.114 B</c> (ITU-R BT.601).
/// An alpha channel is dropped: colours are taken premultiplied by alpha, i.e. as composited over
/// black, the way ML.NET's <c>MLImage</c> holds them, so a file, its bytes and its <c>MLImage</c>
/// give the same tensor.
/// </remarks>
public sealed record ImageInputOptions
{
    /// <summary>Width in pixels of the network's input. Default 224; at least 1.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Height in pixels of the network's input. Default 224; at least 1.</summary>
    public int Height { get; init; } = 224;

    /// <summary>Channels of the network's input: 3 for colour (default) or 1 for grey.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Order of the colour channels when <see cref="Channels"/> is 3. Default <see cref="ImageChannelOrder.Rgb"/>.</summary>
    public ImageChannelOrder ChannelOrder { get; init; } = ImageChannelOrder.Rgb;

    /// <summary>Factor applied to each 0–255 pixel value. Default 1/255 (values in [0, 1]); greater than 0 and finite. Use 1 for raw 0–255 values.</summary>
    public float PixelScale { get; init; } = 1f / 255;

    /// <summary>How an image of another size becomes <see cref="Width"/> × <see cref="Height"/>. Default <see cref="ImageResizePolicy.Stretch"/>.</summary>
    public ImageResizePolicy Resize { get; init; } = ImageResizePolicy.Stretch;

    /// <summary>Folder that relative image paths of a Text column are resolved against. Default <see langword="null"/>: the current directory.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The per-image tensor shape <c>[Channels, Height, Width]</c>.</summary>
    internal long[] Shape => [Channels, Height, Width];

    /// <summary>Throws an exception naming the first invalid option and its value.</summary>
    public void Validate()
    {
        OptionCheck.Require(Width >= 1, Width, nameof(Width), "at least 1");
        OptionCheck.Require(Height >= 1, Height, nameof(Height), "at least 1");
        OptionCheck.Require((long)Width * Height <= MaxPixels, (long)Width * Height, $"{nameof(Width)} × {nameof(Height)}", $"at most {MaxPixels}");
        OptionCheck.Require(Channels is 1 or 3, Channels, nameof(Channels), "1 (grey) or 3 (colour)");
        OptionCheck.RequireDefined(ChannelOrder, nameof(ChannelOrder));
        OptionCheck.Require(PixelScale > 0 && float.IsFinite(PixelScale), PixelScale, nameof(PixelScale), "greater than 0 and finite");
        OptionCheck.RequireDefined(Resize, nameof(Resize));
    }

    /// <summary>The largest input image in pixels (8192 × 8192), so that buffers stay addressable.</summary>
    internal const long MaxPixels = 8192L * 8192;
}

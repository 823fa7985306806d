using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;
using static DeepLearning.Tests.Inputs.ImageReading;

namespace DeepLearning.Tests.Inputs;

/// <summary>What the image adapter makes of a row: exact pixels, channel order, grey and colour, alpha, scaling, resizing.</summary>
public sealed class ImageInputTests : TempDirectoryTest
{

    private sealed class BytesRow
    {
        public byte[] Image { get; set; } = [];
    }

    private sealed class PathRow
    {
        public string Image { get; set; } = string.Empty;
    }

    private sealed class MLImageRow
    {
        [ImageType(3, 4)]
        public MLImage? Image { get; set; }
    }

    /// <summary>Red grows along x, green along y, blue is constant: every pixel is different and known.</summary>
    private static SKColor Gradient(int x, int y) => new((byte)(10 + (40 * x)), (byte)(20 + (50 * y)), 200);

    private static IDataView Bytes(params SKBitmap[] bitmaps)
        => new MLContext().Data.LoadFromEnumerable(bitmaps.Select(b => new BytesRow { Image = BarImages.Png(b) }).ToList());

    private static ImageInput Input(ImageInputOptions options) => new() { ColumnName = "Image", Options = options };

    [Fact]
    public void SameSizeImageIsCopiedExactlyAsRgbPlanesScaledBy255()
    {
        using var bitmap = Bitmap(4, 3, Gradient);
        var tensor = Assert.Single(ReadAll(Input(new() { Width = 4, Height = 3, Resize = ImageResizePolicy.None }), Bytes(bitmap)));
        Assert.Equal(3 * 3 * 4, tensor.Length);
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                var color = Gradient(x, y);
                Assert.Equal(color.Red * (1f / 255), At(tensor, 3, 4, 0, y, x));
                Assert.Equal(color.Green * (1f / 255), At(tensor, 3, 4, 1, y, x));
                Assert.Equal(color.Blue * (1f / 255), At(tensor, 3, 4, 2, y, x));
            }
        }
    }

    [Fact]
    public void BgrOrderAndPixelScaleOfOne()
    {
        using var bitmap = Bitmap(4, 3, Gradient);
        var input = Input(new() { Width = 4, Height = 3, ChannelOrder = ImageChannelOrder.Bgr, PixelScale = 1, Resize = ImageResizePolicy.None });
        var tensor = Assert.Single(ReadAll(input, Bytes(bitmap)));
        Assert.Equal(200f, At(tensor, 3, 4, 0, 2, 3));
        Assert.Equal(Gradient(3, 2).Green, At(tensor, 3, 4, 1, 2, 3));
        Assert.Equal(Gradient(3, 2).Red, At(tensor, 3, 4, 2, 2, 3));
    }

    [Fact]
    public void ColourBecomesBt601LumaForAGreyNetwork()
    {
        using var bitmap = Bitmap(4, 3, Gradient);
        var tensor = Assert.Single(ReadAll(Input(new() { Width = 4, Height = 3, Channels = 1, PixelScale = 1, Resize = ImageResizePolicy.None }), Bytes(bitmap)));
        Assert.Equal(12, tensor.Length);
        var c = Gradient(1, 2);
        Assert.Equal((0.299f * c.Red) + (0.587f * c.Green) + (0.114f * c.Blue), At(tensor, 3, 4, 0, 2, 1), 3);
    }

    [Fact]
    public void GreyImageIsRepeatedOverThreeChannels()
    {
        using var grey = Bitmap(4, 3, (x, y) => new SKColor((byte)(30 * (x + y)), (byte)(30 * (x + y)), (byte)(30 * (x + y))), SKColorType.Gray8, SKAlphaType.Opaque);
        var tensor = Assert.Single(ReadAll(Input(new() { Width = 4, Height = 3, PixelScale = 1, Resize = ImageResizePolicy.None }), Bytes(grey)));
        for (var channel = 0; channel < 3; channel++)
        {
            Assert.Equal(150f, At(tensor, 3, 4, channel, 2, 3));
            Assert.Equal(0f, At(tensor, 3, 4, channel, 0, 0));
        }
    }

    [Fact]
    public void AlphaIsDroppedAndColoursArePremultipliedLikeMLImage()
    {
        using var bitmap = Bitmap(2, 2, (x, y) => x == 0 ? new SKColor(200, 100, 50, 128) : new SKColor(200, 100, 50, 255));
        var path = Path.Combine(Dir, "alpha.png");
        File.WriteAllBytes(path, BarImages.Png(bitmap));
        var input = Input(new() { Width = 2, Height = 2, PixelScale = 1, Resize = ImageResizePolicy.None });

        var fromBytes = Assert.Single(ReadAll(input, Bytes(bitmap)));
        Assert.Equal(200f, At(fromBytes, 2, 2, 0, 0, 1));
        Assert.Equal(MathF.Round(200 * 128 / 255f), At(fromBytes, 2, 2, 0, 0, 0), 1f);
        Assert.Equal(MathF.Round(50 * 128 / 255f), At(fromBytes, 2, 2, 2, 0, 0), 1f);

        var ml = new MLContext();
        var paths = ml.Data.LoadFromEnumerable([new PathRow { Image = path }]);
        var images = ml.Transforms.LoadImages("Image", null, "Image").Fit(paths).Transform(paths);
        Assert.Equal(fromBytes, Assert.Single(ReadAll(input, images)));
    }

    [Fact]
    public void FileBytesAndMLImageGiveTheSameTensor()
    {
        var ml = new MLContext();
        var rows = BarImages.Write(Dir, 3, seed: 5);
        var input = Input(new() { Width = 20, Height = 16, Resize = ImageResizePolicy.CenterCrop, BaseDirectory = Dir });
        var fromBytes = ReadAll(input, ml.Data.LoadFromEnumerable(rows.Select(r => new BytesRow { Image = r.Bytes }).ToList()));
        var fromPaths = ReadAll(input, ml.Data.LoadFromEnumerable(rows.Select(r => new PathRow { Image = r.Path }).ToList()));
        var paths = ml.Data.LoadFromEnumerable(rows.Select(r => new PathRow { Image = Path.Combine(Dir, r.Path) }).ToList());
        var fromImages = ReadAll(input, ml.Transforms.LoadImages("Image", null, "Image").Fit(paths).Transform(paths));
        Assert.Equal(3, fromBytes.Count);
        Assert.Equal(fromBytes, fromPaths);
        Assert.Equal(fromBytes, fromImages);
        Assert.NotEqual(fromBytes[0], fromBytes[1]);
    }

    [Fact]
    public void MLImageFromPixelsIsRead()
    {
        using var bitmap = Bitmap(4, 3, Gradient);
        using var image = BarImages.ToMLImage(bitmap);
        var data = new MLContext().Data.LoadFromEnumerable([new MLImageRow { Image = image }]);
        Assert.IsType<ImageDataViewType>(data.Schema["Image"].Type);
        var tensor = Assert.Single(ReadAll(Input(new() { Width = 4, Height = 3, PixelScale = 1, Resize = ImageResizePolicy.None }), data));
        Assert.Equal(Gradient(2, 1).Red, At(tensor, 3, 4, 0, 1, 2));
        Assert.Equal(Gradient(2, 1).Green, At(tensor, 3, 4, 1, 1, 2));
    }

    [Fact]
    public void PadLetterboxesKeepingTheAspectRatio()
    {
        // A white 4 × 2 image padded into 6 × 6: scaled by 1.5 to 6 × 3, centred with black bars above and below.
        using var white = Bitmap(4, 2, (_, _) => SKColors.White);
        var tensor = Assert.Single(ReadAll(Input(new() { Width = 6, Height = 6, Channels = 1, Resize = ImageResizePolicy.Pad }), Bytes(white)));
        var rows = Enumerable.Range(0, 6).Select(y => Enumerable.Range(0, 6).Average(x => At(tensor, 6, 6, 0, y, x))).ToArray();
        Assert.Equal([0, 1, 1, 1, 0, 0], rows.Select(v => MathF.Round((float)v, 2)).ToArray());
    }

    [Fact]
    public void CenterCropCutsTheMiddleAndStretchKeepsEverything()
    {
        // Left third black, middle white, right third black: the centre crop to a square sees only white.
        using var bitmap = Bitmap(9, 3, (x, _) => x is >= 3 and < 6 ? SKColors.White : SKColors.Black);
        var data = Bytes(bitmap);
        var crop = Assert.Single(ReadAll(Input(new() { Width = 3, Height = 3, Channels = 1, Resize = ImageResizePolicy.CenterCrop }), data));
        Assert.All(crop, v => Assert.Equal(1f, v, 0.01f));
        var stretch = Assert.Single(ReadAll(Input(new() { Width = 3, Height = 3, Channels = 1, Resize = ImageResizePolicy.Stretch }), data));
        Assert.All(Enumerable.Range(0, 3), y => Assert.True(stretch[3 * y] < 0.25f && stretch[(3 * y) + 1] > 0.6f && stretch[(3 * y) + 2] < 0.25f, string.Join(", ", stretch)));
    }

    [Fact]
    public void ResizeRectanglesFollowThePolicy()
    {
        Assert.Equal((SKRect.Create(200, 100), SKRect.Create(50, 50)), ImageResampler.Rectangles(200, 100, 50, 50, ImageResizePolicy.Stretch));
        Assert.Equal((SKRect.Create(200, 100), SKRect.Create(0, 12, 50, 25)), ImageResampler.Rectangles(200, 100, 50, 50, ImageResizePolicy.Pad));
        Assert.Equal((SKRect.Create(50, 0, 100, 100), SKRect.Create(50, 50)), ImageResampler.Rectangles(200, 100, 50, 50, ImageResizePolicy.CenterCrop));
    }

    [Fact]
    public void AdapterRoundTripsThroughJson()
    {
        var input = new ImageInput
        {
            ColumnName = "Photo",
            Options = new() { Width = 32, Height = 24, Channels = 1, ChannelOrder = ImageChannelOrder.Bgr, PixelScale = 2f / 255, Resize = ImageResizePolicy.CenterCrop, BaseDirectory = "/data/images" },
            Normalization = new InputNormalization([0.5f], [0.25f]),
        };
        var json = NamedTypes.Write<InputAdapter>(input);
        Assert.Equal("image", json["type"]!.GetValue<string>());
        Assert.Equal("CenterCrop", json["Options"]!["Resize"]!.GetValue<string>());
        Assert.Null(json["Shape"]);

        var read = Assert.IsType<ImageInput>(NamedTypes.Read<InputAdapter>(json, "input adapter"));
        read.Validate();
        Assert.Equal(input.ColumnName, read.ColumnName);
        Assert.Equal(input.Options, read.Options);
        Assert.Equal(input.Normalization.Mean, read.Normalization!.Mean);
        Assert.Equal(input.Normalization.Std, read.Normalization.Std);
        Assert.Equal([1L, 24, 32], read.Shape);
    }

    [Fact]
    public void DefaultsAreDocumented()
    {
        var options = new ImageInputOptions();
        Assert.Equal((224, 224, 3, ImageChannelOrder.Rgb, 1f / 255, ImageResizePolicy.Stretch, (string?)null), (options.Width, options.Height, options.Channels, options.ChannelOrder, options.PixelScale, options.Resize, options.BaseDirectory));
        Assert.Equal([3L, 224, 224], new ImageInput().Shape);
    }

    [Theory]
    [InlineData(nameof(ImageInputOptions.Width), "Option Width = 0 is invalid: it must be at least 1.")]
    [InlineData(nameof(ImageInputOptions.Height), "Option Height = -2 is invalid: it must be at least 1.")]
    [InlineData(nameof(ImageInputOptions.Channels), "Option Channels = 2 is invalid: it must be 1 (grey) or 3 (colour).")]
    [InlineData(nameof(ImageInputOptions.PixelScale), "Option PixelScale = NaN is invalid: it must be greater than 0 and finite.")]
    [InlineData(nameof(ImageInputOptions.Resize), "Option Resize = 9 is invalid: it must be one of None, Stretch, Pad, CenterCrop.")]
    [InlineData(nameof(ImageInputOptions.ChannelOrder), "Option ChannelOrder = 5 is invalid: it must be one of Rgb, Bgr.")]
    public void InvalidOptionsAreNamed(string option, string message)
    {
        var options = option switch
        {
            nameof(ImageInputOptions.Width) => new ImageInputOptions { Width = 0 },
            nameof(ImageInputOptions.Height) => new ImageInputOptions { Height = -2 },
            nameof(ImageInputOptions.Channels) => new ImageInputOptions { Channels = 2 },
            nameof(ImageInputOptions.PixelScale) => new ImageInputOptions { PixelScale = float.NaN },
            nameof(ImageInputOptions.Resize) => new ImageInputOptions { Resize = (ImageResizePolicy)9 },
            _ => new ImageInputOptions { ChannelOrder = (ImageChannelOrder)5 },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Input(options).Validate());
        Assert.StartsWith(message, error.Message);
    }
}

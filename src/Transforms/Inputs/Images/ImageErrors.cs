using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>The messages about unreadable images; each names the column, the row and the value.</summary>
internal static class ImageErrors
{
    /// <summary>The accepted column types, for messages about a column of another type.</summary>
    public const string AcceptedTypes = "an image (MLImage, e.g. from mlContext.Transforms.LoadImages), encoded image bytes (a vector of Byte, e.g. File.ReadAllBytes or LoadRawImageBytes) or image file paths (Text)";

    /// <summary>A features column of a type no image input reads.</summary>
    public static ArgumentOutOfRangeException WrongColumnType(string column, DataViewType type)
        => new("ColumnName", column, $"Features column '{column}' is {type}; an image input reads {AcceptedTypes}.");

    /// <summary>The row holds no image: an empty path, no bytes or a null <c>MLImage</c>.</summary>
    public static InvalidOperationException Missing(string column, long position, string what)
        => new($"Image column '{column}' has no image in row {position}: {what}.");

    /// <summary>An image file does not exist.</summary>
    public static InvalidOperationException FileNotFound(string column, long position, string fullPath)
        => new($"Image column '{column}', row {position}: the file '{fullPath}' was not found.", new FileNotFoundException(null, fullPath));

    /// <summary>The value is not an image the decoder reads.</summary>
    public static InvalidOperationException Undecodable(string column, long position, string what, string reason)
        => new($"Image column '{column}', row {position}: {what} could not be decoded as an image ({reason}). Readable formats: PNG, JPEG, BMP, GIF, WebP, ICO, WBMP.");

    /// <summary>An <c>MLImage</c> of a pixel layout this adapter does not read.</summary>
    public static InvalidOperationException UnsupportedPixels(string column, long position, string what)
        => new($"Image column '{column}', row {position}: {what} is not supported; images must be 32-bit Bgra32 or Rgba32.");

    /// <summary>An image of another size than the network's input under <see cref="ImageResizePolicy.None"/>.</summary>
    public static InvalidOperationException WrongSize(string column, long position, string what, int width, int height, int expectedWidth, int expectedHeight)
        => new($"Image column '{column}', row {position}: {what} is {width}×{height} pixels, but the network takes {expectedWidth}×{expectedHeight} and Resize is None. Resize the images first or set Resize to Stretch, Pad or CenterCrop.");
}

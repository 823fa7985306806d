using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// Annotation kinds that record the image shape of a flattened image vector column, so that a
/// network (a convolution, for instance) can reshape the slots back to
/// <c>[channels, height, width]</c>. Each annotation is an <see cref="int"/>.
/// </summary>
public static class ImageShapeAnnotations
{
    /// <summary>The annotation kind holding the image height in pixels.</summary>
    public const string Height = "ImageHeight";

    /// <summary>The annotation kind holding the image width in pixels.</summary>
    public const string Width = "ImageWidth";

    /// <summary>The annotation kind holding the number of channels (1 for grey scale).</summary>
    public const string Channels = "ImageChannels";

    /// <summary>Builds the three shape annotations.</summary>
    /// <param name="channels">The number of channels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="width">The width in pixels.</param>
    /// <returns>Annotations holding the three kinds.</returns>
    public static DataViewSchema.Annotations Create(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var builder = new DataViewSchema.Annotations.Builder();
        builder.AddPrimitiveValue(Channels, NumberDataViewType.Int32, channels);
        builder.AddPrimitiveValue(Height, NumberDataViewType.Int32, height);
        builder.AddPrimitiveValue(Width, NumberDataViewType.Int32, width);
        return builder.ToAnnotations();
    }

    /// <summary>Reads the image shape recorded on a column.</summary>
    /// <param name="column">The column, normally a vector of <see cref="float"/>.</param>
    /// <param name="channels">The number of channels; 1 when only height and width are recorded.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="width">The width in pixels.</param>
    /// <returns><see langword="true"/> when height and width are recorded as positive <see cref="int"/> values.</returns>
    public static bool TryGet(DataViewSchema.Column column, out int channels, out int height, out int width)
    {
        channels = 0;
        height = 0;
        width = 0;
        var annotations = column.Annotations;
        if (annotations is null || !TryGetInt(annotations, Height, out height) || !TryGetInt(annotations, Width, out width))
        {
            height = 0;
            width = 0;
            return false;
        }

        if (!TryGetInt(annotations, Channels, out channels))
        {
            channels = 1;
        }

        return true;
    }

    private static bool TryGetInt(DataViewSchema.Annotations annotations, string kind, out int value)
    {
        value = 0;
        var column = annotations.Schema.GetColumnOrNull(kind);
        if (column is not DataViewSchema.Column found || found.Type != NumberDataViewType.Int32)
        {
            return false;
        }

        annotations.GetValue(kind, ref value);
        return value > 0;
    }
}

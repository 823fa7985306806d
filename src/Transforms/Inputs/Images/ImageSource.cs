using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>
/// Reads the current row's image from one kind of column: an <c>MLImage</c>, encoded image bytes
/// or an image file path. The image is opaque (alpha dropped, colours premultiplied as stored) and
/// stays valid until the next <see cref="Read"/> or <see cref="Dispose()"/>.
/// </summary>
internal abstract class ImageSource : IDisposable
{
    protected ImageSource(string column) => Column = column;

    /// <summary>The column's name, for messages.</summary>
    protected string Column { get; }

    /// <summary>Whether a column of <paramref name="type"/> holds images this source family reads.</summary>
    public static bool CanRead(DataViewType type)
        => type is ImageDataViewType or TextDataViewType || (type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Byte);

    /// <summary>The source for <paramref name="column"/> of <paramref name="row"/>, chosen by the column type.</summary>
    /// <param name="row">A row or cursor with the column active.</param>
    /// <param name="column">An image, byte vector or text column.</param>
    /// <param name="baseDirectory">Folder relative paths are resolved against, or <see langword="null"/> for the current directory.</param>
    public static ImageSource Create(DataViewRow row, DataViewSchema.Column column, string? baseDirectory) => column.Type switch
    {
        ImageDataViewType => new MLImageSource(column.Name, row.GetGetter<MLImage>(column)),
        TextDataViewType => new ImageFileSource(column.Name, row.GetGetter<ReadOnlyMemory<char>>(column), baseDirectory),
        VectorDataViewType { ItemType: var item } when item == NumberDataViewType.Byte => new EncodedBytesSource(column.Name, row.GetGetter<VBuffer<byte>>(column)),
        _ => throw ImageErrors.WrongColumnType(column.Name, column.Type),
    };

    /// <summary>Reads the current row's image.</summary>
    /// <param name="position">The row's position, for messages.</param>
    /// <exception cref="InvalidOperationException">The row holds no readable image; the message names the column, the row and the value.</exception>
    public abstract SKImage Read(long position);

    /// <summary>What the current row holds, for messages, e.g. <c>the file '/data/a.png'</c>.</summary>
    public abstract string Describe();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native images and buffers.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data;

/// <summary>The rows of an image folder: a Text column of full image paths and a Text column of class names.</summary>
internal sealed class ImageFolderDataView : RandomAccessDataView
{
    private readonly ReadOnlyMemory<char>[] _paths;
    private readonly ReadOnlyMemory<char>[] _labels;

    /// <summary>Creates the view over (path, label) rows.</summary>
    /// <param name="rows">The rows, in the order unshuffled cursors visit them.</param>
    /// <param name="pathColumnName">Name of the path column.</param>
    /// <param name="labelColumnName">Name of the label column.</param>
    public ImageFolderDataView(IReadOnlyList<(string Path, string Label)> rows, string pathColumnName, string labelColumnName)
    {
        _paths = [.. rows.Select(r => r.Path.AsMemory())];
        _labels = [.. rows.Select(r => r.Label.AsMemory())];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(pathColumnName, TextDataViewType.Instance);
        builder.AddColumn(labelColumnName, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public override DataViewSchema Schema { get; }

    /// <inheritdoc />
    protected override int RowCount => _paths.Length;

    /// <inheritdoc />
    protected override Delegate CreateGetter(int columnIndex, Func<int> row)
    {
        var values = columnIndex switch
        {
            0 => _paths,
            1 => _labels,
            _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
        };
        return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = values[row()]);
    }
}

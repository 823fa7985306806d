using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// A read-only <see cref="IDataView"/> over images held in one flat <see cref="float"/> array:
/// a <c>Features</c> column (known-size vector of <see cref="float"/>, with
/// <see cref="ImageShapeAnnotations"/>) and a <c>Label</c> column (<see cref="float"/> class index).
/// Rows are served straight from the arrays, so building it costs nothing.
/// </summary>
internal sealed class ImageArrayDataView : RandomAccessDataView
{
    internal const string FeaturesColumn = "Features";
    internal const string LabelColumn = "Label";

    private readonly float[] _pixels;
    private readonly float[] _labels;
    private readonly int _rows;
    private readonly int _size;

    public ImageArrayDataView(float[] pixels, float[] labels, int rows, int channels, int height, int width)
    {
        _size = checked(channels * height * width);
        if (rows < 0 || labels.Length < rows || pixels.Length < (long)rows * _size)
        {
            throw new ArgumentException($"The arrays hold fewer than {rows} rows of {_size} pixels.");
        }

        _pixels = pixels;
        _labels = labels;
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, _size), ImageShapeAnnotations.Create(channels, height, width));
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    public override DataViewSchema Schema { get; }

    protected override int RowCount => _rows;

    protected override Delegate CreateGetter(int columnIndex, Func<int> row) => columnIndex switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var editor = VBufferEditor.Create(ref value, _size);
            _pixels.AsSpan(row() * _size, _size).CopyTo(editor.Values);
            value = editor.Commit();
        }),
        1 => (ValueGetter<float>)((ref float value) => value = _labels[row()]),
        _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
    };
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// A read-only <see cref="IDataView"/> over images held in one flat <see cref="float"/> array:
/// a <c>Features</c> column (known-size vector of <see cref="float"/>, with
/// <see cref="ImageShapeAnnotations"/>) and a <c>Label</c> column (<see cref="float"/> class index).
/// Rows are served straight from the arrays, so building it costs nothing.
/// </summary>
internal sealed class ImageArrayDataView : IDataView
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

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int[]? order = null;
        if (rand is not null)
        {
            order = new int[_rows];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            rand.Shuffle(order);
        }

        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            active[column.Index] = true;
        }

        return new Cursor(this, active, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageArrayDataView _view;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;

        public Cursor(ImageArrayDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows)
            {
                _position = _view._rows;
                _row = -1;
                return false;
            }

            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            }

            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)GetFeatures,
                1 => (ValueGetter<float>)GetLabel,
                _ => throw new ArgumentOutOfRangeException(nameof(column)),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            EnsureRow();
            int size = _view._size;
            var editor = VBufferEditor.Create(ref value, size);
            _view._pixels.AsSpan(_row * size, size).CopyTo(editor.Values);
            value = editor.Commit();
        }

        private void GetLabel(ref float value)
        {
            EnsureRow();
            value = _view._labels[_row];
        }

        private void EnsureRow()
        {
            if (_row < 0)
            {
                throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
            }
        }
    }
}

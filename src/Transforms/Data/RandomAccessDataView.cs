using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// A read-only <see cref="IDataView"/> over rows held in memory and addressed by index. It can
/// shuffle: a cursor given a <see cref="Random"/> visits a permutation of the rows, which is what
/// lets a streaming batch source shuffle without a buffer. Subclasses give the schema, the row
/// count and a getter per column.
/// </summary>
internal abstract class RandomAccessDataView : IDataView
{
    /// <inheritdoc />
    public bool CanShuffle => true;

    /// <inheritdoc />
    public abstract DataViewSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    protected abstract int RowCount { get; }

    /// <inheritdoc />
    public long? GetRowCount() => RowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int[]? order = null;
        if (rand is not null)
        {
            order = [.. Enumerable.Range(0, RowCount)];
            rand.Shuffle(order);
        }

        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            active[column.Index] = true;
        }

        return new Cursor(this, active, order);
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    /// <summary>The getter of column <paramref name="columnIndex"/>, a <c>ValueGetter</c> of the column's type.</summary>
    /// <param name="columnIndex">The column.</param>
    /// <param name="row">The cursor's current row index (throws when the cursor is not on a row).</param>
    protected abstract Delegate CreateGetter(int columnIndex, Func<int> row);

    private sealed class Cursor(RandomAccessDataView view, bool[] active, int[]? order) : DataViewRowCursor
    {
        private long _position = -1;
        private int _row = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override bool MoveNext()
        {
            if (_position + 1 >= view.RowCount)
            {
                _position = view.RowCount;
                _row = -1;
                return false;
            }

            _position++;
            _row = order is null ? (int)_position : order[_position];
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

            return view.CreateGetter(column.Index, CurrentRow) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        private int CurrentRow() => _row >= 0 ? _row : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
    }
}

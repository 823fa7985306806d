using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// The rows of a source view picked by position: a filter over the source (one split of it, or a subset), which
/// keeps the only copy of the data. A row is found by its position in the source's (unshuffled)
/// cursor, so the source must give its rows in the same order on every pass, as ML.NET's views do.
/// </summary>
internal sealed class RowSelectionView : IDataView
{
    private readonly IDataView _source;
    private readonly bool[] _keep;
    private readonly long _count;

    /// <summary>Creates the view.</summary>
    /// <param name="source">The data.</param>
    /// <param name="keep">Whether each row of <paramref name="source"/>, in cursor order, is in the view.</param>
    public RowSelectionView(IDataView source, bool[] keep)
    {
        _source = source;
        _keep = keep;
        _count = keep.LongCount(k => k);
    }

    /// <summary>The rows an assignment puts in one split.</summary>
    /// <param name="source">The data.</param>
    /// <param name="assignment">The split of each row of <paramref name="source"/>, in cursor order.</param>
    /// <param name="split">The split the view shows.</param>
    public static RowSelectionView Of(IDataView source, DataSplit[] assignment, DataSplit split)
        => new(source, Array.ConvertAll(assignment, s => s == split));

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema => _source.Schema;

    /// <inheritdoc />
    public long? GetRowCount() => _count;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, _source.GetRowCursor(columnsNeeded));

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded)];

    private sealed class Cursor(RowSelectionView view, DataViewRowCursor source) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => source.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

        public override bool MoveNext()
        {
            while (source.MoveNext())
            {
                var row = source.Position;
                if (row >= view._keep.Length)
                {
                    throw new InvalidOperationException(
                        $"The data now has more than the {view._keep.Length} rows it had when it was split; split it again.");
                }

                if (view._keep[row])
                {
                    _position++;
                    return true;
                }
            }

            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => source.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A cursor that reads up to a batch of input rows ahead, lets the subclass score them at once, and then
/// serves them one by one: the input columns from a cache, the appended columns from the subclass. The
/// appended columns follow the input's in <see cref="Schema"/>.
/// </summary>
internal abstract class BatchedCursor : DataViewRowCursor
{
    private readonly DataViewSchema _schema;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly ColumnCache?[] _caches;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private int _count;
    private int _index = -1;
    private long _position = -1;
    private long _inputPosition = -1;

    /// <param name="schema">The output schema: the input's columns, then the appended ones.</param>
    /// <param name="inputSchema">The input's schema.</param>
    /// <param name="input">The input cursor, with the needed input columns active.</param>
    /// <param name="columnsNeeded">The output columns to serve.</param>
    /// <param name="batchSize">Rows read ahead and scored together; at least 1.</param>
    protected BatchedCursor(DataViewSchema schema, DataViewSchema inputSchema, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> columnsNeeded, int batchSize)
    {
        _schema = schema;
        _input = input;
        BatchSize = batchSize;
        _active = new bool[schema.Count];
        foreach (var column in columnsNeeded)
        {
            _active[column.Index] = true;
        }

        _caches = new ColumnCache?[inputSchema.Count];
        for (var i = 0; i < _caches.Length; i++)
        {
            if (_active[i])
            {
                _caches[i] = ColumnCache.Create(input, inputSchema[i], batchSize);
            }
        }

        _inputId = input.GetIdGetter();
        _ids = new DataViewRowId[batchSize];
    }

    public override DataViewSchema Schema => _schema;

    public override long Position => _position;

    public override long Batch => 0;

    /// <summary>The input cursor (for getters of the columns the subclass reads).</summary>
    protected DataViewRowCursor Input => _input;

    /// <summary>Rows per batch.</summary>
    protected int BatchSize { get; }

    /// <summary>The current row's slot in the batch.</summary>
    protected int Slot => _index;

    /// <summary>Whether any appended column is served (else nothing needs scoring).</summary>
    protected bool ScoresAnything => _active.Skip(_caches.Length).Any(a => a);

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override bool MoveNext()
    {
        if (_index + 1 >= _count)
        {
            FillBatch();
            if (_count == 0)
            {
                return false;
            }

            _index = -1;
        }

        _index++;
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
        {
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        }

        var getter = column.Index < _caches.Length ? _caches[column.Index]!.MakeGetter(() => _index) : OutputGetter(column);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_index];

    /// <summary>The getter of an appended column, reading the current <see cref="Slot"/>.</summary>
    protected abstract Delegate OutputGetter(DataViewSchema.Column column);

    /// <summary>Reads what scoring needs from the input's current row into batch slot <paramref name="slot"/> (only when <see cref="ScoresAnything"/>).</summary>
    protected abstract void ReadRow(int slot, long position);

    /// <summary>Scores the first <paramref name="count"/> slots (only when <see cref="ScoresAnything"/>).</summary>
    protected abstract void ScoreBatch(int count);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    private void FillBatch()
    {
        _count = 0;
        var scoring = ScoresAnything;
        while (_count < BatchSize && _input.MoveNext())
        {
            _inputPosition++;
            foreach (var cache in _caches)
            {
                cache?.Store(_count);
            }

            _inputId(ref _ids[_count]);
            if (scoring)
            {
                ReadRow(_count, _inputPosition);
            }

            _count++;
        }

        if (_count > 0 && scoring)
        {
            ScoreBatch(_count);
        }
    }
}

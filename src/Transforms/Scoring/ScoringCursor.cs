using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A cursor that reads <see cref="Scorer.BatchSize"/> input rows ahead, scores them with one
/// network call, and then serves them one by one (passed-through columns from a cache). A row
/// whose features hold NaN or an infinity gets NaN outputs (and a missing predicted key).
/// </summary>
internal sealed class ScoringCursor : DataViewRowCursor
{
    private readonly Scorer _scorer;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly ColumnCache?[] _caches;
    private readonly Inputs.IInputReader? _features;
    private readonly bool[] _finite;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private readonly float[]? _inputs;
    private readonly float[]? _outputs;
    private int _count;
    private int _index = -1;
    private long _position = -1;
    private long _inputPosition = -1;

    public ScoringCursor(Scorer scorer, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        _scorer = scorer;
        _input = input;
        var batch = scorer.BatchSize;
        _active = new bool[scorer.OutputSchema.Count];
        foreach (var column in columnsNeeded)
        {
            _active[column.Index] = true;
        }

        _caches = new ColumnCache?[scorer.InputSchema.Count];
        for (var i = 0; i < _caches.Length; i++)
        {
            if (_active[i])
            {
                _caches[i] = ColumnCache.Create(input, scorer.InputSchema[i], batch);
            }
        }

        _inputId = input.GetIdGetter();
        _ids = new DataViewRowId[batch];
        _finite = new bool[batch];
        if (_active.Skip(scorer.InputSchema.Count).Any(a => a))
        {
            _features = scorer.Input.CreateReader(input);
            _inputs = new float[batch * scorer.Model.InputLength];
            _outputs = new float[batch * scorer.Model.OutputSize];
        }
    }

    public override DataViewSchema Schema => _scorer.OutputSchema;

    public override long Position => _position;

    public override long Batch => 0;

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

        var getter = _scorer.IsPrediction(column.Index)
            ? _scorer.PredictionAt(column.Index).MakeGetter(CurrentOutputs)
            : _caches[column.Index]!.MakeGetter(() => _index);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_index];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _features?.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    private ReadOnlyMemory<float> CurrentOutputs() => _outputs.AsMemory(_index * _scorer.Model.OutputSize, _scorer.Model.OutputSize);

    private void FillBatch()
    {
        _count = 0;
        var length = _scorer.Model.InputLength;
        while (_count < _scorer.BatchSize && _input.MoveNext())
        {
            _inputPosition++;
            foreach (var cache in _caches)
            {
                cache?.Store(_count);
            }

            _inputId(ref _ids[_count]);
            if (_features is not null)
            {
                var row = _inputs.AsSpan(_count * length, length);
                _finite[_count] = _features.Read(row, _inputPosition);
                if (!_finite[_count])
                {
                    // A row with NaN or infinity scores as NaN, as ML.NET's own trainers do; it must not touch the others.
                    row.Clear();
                }
            }

            _count++;
        }

        if (_count > 0 && _features is not null)
        {
            _scorer.Model.Predict(_inputs!, _count, _outputs!);
            var size = _scorer.Model.OutputSize;
            for (var i = 0; i < _count; i++)
            {
                if (!_finite[i])
                {
                    _outputs.AsSpan(i * size, size).Fill(float.NaN);
                }
            }
        }
    }
}

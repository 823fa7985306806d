using Microsoft.ML;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A cursor that reads <see cref="Scorer.BatchSize"/> input rows ahead, scores them with one
/// network call, and then serves them one by one (passed-through columns from a cache). A row
/// whose features hold NaN or an infinity gets NaN outputs (and a missing predicted key).
/// </summary>
internal sealed class ScoringCursor : BatchedCursor
{
    private readonly Scorer _scorer;
    private readonly Inputs.IInputReader? _features;
    private readonly bool[] _finite;
    private readonly float[]? _inputs;
    private readonly float[]? _outputs;

    public ScoringCursor(Scorer scorer, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : base(scorer.OutputSchema, scorer.InputSchema, input, columnsNeeded, scorer.BatchSize)
    {
        _scorer = scorer;
        _finite = new bool[BatchSize];
        if (ScoresAnything)
        {
            _features = scorer.Input.CreateReader(input);
            _inputs = new float[BatchSize * scorer.Model.InputLength];
            _outputs = new float[BatchSize * scorer.Model.OutputSize];
        }
    }

    protected override Delegate OutputGetter(DataViewSchema.Column column) => _scorer.PredictionAt(column.Index).MakeGetter(CurrentOutputs);

    protected override void ReadRow(int slot, long position)
    {
        var length = _scorer.Model.InputLength;
        var row = _inputs.AsSpan(slot * length, length);
        _finite[slot] = _features!.Read(row, position);
        if (!_finite[slot])
        {
            // A row with NaN or infinity scores as NaN, as ML.NET's own trainers do; it must not touch the others.
            row.Clear();
        }
    }

    protected override void ScoreBatch(int count)
    {
        _scorer.Model.Predict(_inputs!, count, _outputs!);
        var size = _scorer.Model.OutputSize;
        for (var i = 0; i < count; i++)
        {
            if (!_finite[i])
            {
                _outputs.AsSpan(i * size, size).Fill(float.NaN);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _features?.Dispose();
        }

        base.Dispose(disposing);
    }

    private ReadOnlyMemory<float> CurrentOutputs() => _outputs.AsMemory(Slot * _scorer.Model.OutputSize, _scorer.Model.OutputSize);
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>Scores one row at a time, for <c>PredictionEngine</c> and row-to-row pipelines.</summary>
internal sealed class ScoringRowMapper : IRowToRowMapper
{
    private readonly Scorer _scorer;

    public ScoringRowMapper(Scorer scorer) => _scorer = scorer;

    public DataViewSchema InputSchema => _scorer.InputSchema;

    public DataViewSchema OutputSchema => _scorer.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => _scorer.Dependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new ScoringRow(_scorer, input, activeColumns);

    private sealed class ScoringRow : DataViewRow
    {
        private readonly Scorer _scorer;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly Inputs.IInputReader? _features;
        private readonly float[] _inputs;
        private readonly float[] _scoredInputs;
        private readonly float[] _outputs;
        private bool _scored;

        public ScoringRow(Scorer scorer, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            _scorer = scorer;
            _input = input;
            _active = new bool[scorer.OutputSchema.Count];
            foreach (var column in activeColumns)
            {
                _active[column.Index] = true;
            }

            _inputs = new float[scorer.Model.InputLength];
            _scoredInputs = new float[scorer.Model.InputLength];
            _outputs = new float[scorer.Model.OutputSize];
            if (_active.Skip(scorer.InputSchema.Count).Any(a => a))
            {
                _features = scorer.Input.CreateReader(input);
            }
        }

        public override DataViewSchema Schema => _scorer.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            }

            if (!_scorer.IsPrediction(column.Index))
            {
                return _input.GetGetter<TValue>(_scorer.InputSchema[column.Index]);
            }

            return _scorer.PredictionAt(column.Index).MakeGetter(Outputs) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _features?.Dispose();
            }

            base.Dispose(disposing);
        }

        private ReadOnlyMemory<float> Outputs()
        {
            // Score once per distinct input, however many prediction columns are read. Rows are
            // compared by value: a prediction engine's input row need not advance its position.
            if (!_features!.Read(_inputs, _input.Position))
            {
                throw Inputs.InputErrors.NonFinite(_scorer.Input.Column.Name, _input.Position);
            }

            if (!_scored || !_inputs.AsSpan().SequenceEqual(_scoredInputs))
            {
                _scorer.Model.Predict(_inputs, 1, _outputs);
                _inputs.CopyTo(_scoredInputs, 0);
                _scored = true;
            }

            return _outputs;
        }
    }
}

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

    private sealed class ScoringRow : AppendedColumnsRow
    {
        private readonly Scorer _scorer;
        private readonly Inputs.IInputReader? _features;
        private readonly float[] _inputs;
        private readonly float[] _scoredInputs;
        private readonly float[] _outputs;
        private bool _scored;

        public ScoringRow(Scorer scorer, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
            : base(input, scorer.OutputSchema, activeColumns)
        {
            _scorer = scorer;
            _inputs = new float[scorer.Model.InputLength];
            _scoredInputs = new float[scorer.Model.InputLength];
            _outputs = new float[scorer.Model.OutputSize];
            if (AnyAppendedActive)
            {
                _features = scorer.Input.CreateReader(input);
            }
        }

        protected override Delegate AppendedGetter(int appended)
            => _scorer.PredictionAt(appended + _scorer.InputSchema.Count).MakeGetter(Outputs);

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
            if (!_features!.Read(_inputs, Input.Position))
            {
                throw Inputs.InputErrors.NonFinite(_scorer.Input.Column.Name, Input.Position);
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

using Microsoft.ML;

namespace DeepLearning.Transforms.Scoring;

/// <summary>The lazily scored view that <c>Transform</c> returns: input columns plus predictions.</summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly Scorer _scorer;
    private readonly IDataView _input;

    public ScoredDataView(Scorer scorer, IDataView input)
    {
        _scorer = scorer;
        _input = input;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _scorer.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return new ScoringCursor(_scorer, _input.GetRowCursor(_scorer.Dependencies(needed), rand), needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];
}

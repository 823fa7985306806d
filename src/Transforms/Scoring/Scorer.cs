using Microsoft.ML;

namespace DeepLearning.Transforms.Scoring;

/// <summary>What the scoring cursor, row and data view share: the model, the columns and the schemas.</summary>
internal sealed class Scorer
{
    public Scorer(NetworkModel model, PredictionColumns columns, DataViewSchema inputSchema, string featureColumnName, int batchSize)
    {
        Model = model;
        Columns = columns;
        InputSchema = inputSchema;
        Features = FeatureColumn.Bind(inputSchema, featureColumnName, model.InputLength);
        OutputSchema = columns.AppendTo(inputSchema);
        BatchSize = batchSize;
    }

    public NetworkModel Model { get; }

    public PredictionColumns Columns { get; }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public FeatureColumn Features { get; }

    public int BatchSize { get; }

    /// <summary>Whether output column <paramref name="index"/> of <see cref="OutputSchema"/> is a prediction column.</summary>
    public bool IsPrediction(int index) => index >= InputSchema.Count;

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
        {
            needed.Add(IsPrediction(column.Index) ? Features.Column.Index : column.Index);
        }

        return needed.Select(i => InputSchema[i]);
    }
}

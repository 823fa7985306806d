using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using Microsoft.ML;

namespace DeepLearning.Transforms.Scoring;

/// <summary>What the scoring cursor, row and data view share: the model, the bound input, the output columns and the schemas.</summary>
internal sealed class Scorer
{
    public Scorer(NetworkModel model, DataViewSchema inputSchema, int batchSize)
    {
        Model = model;
        InputSchema = inputSchema;
        Input = model.Input.Bind(inputSchema);
        Columns = model.Head.CreateColumns();
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var column in Columns)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        OutputSchema = builder.ToSchema();
        BatchSize = batchSize;
    }

    public NetworkModel Model { get; }

    public BoundInput Input { get; }

    public IReadOnlyList<OutputColumn> Columns { get; }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int BatchSize { get; }

    /// <summary>Whether output column <paramref name="index"/> of <see cref="OutputSchema"/> is a prediction column.</summary>
    public bool IsPrediction(int index) => index >= InputSchema.Count;

    /// <summary>The prediction column at <paramref name="index"/> of <see cref="OutputSchema"/>.</summary>
    public OutputColumn PredictionAt(int index) => Columns[index - InputSchema.Count];

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
        {
            needed.Add(IsPrediction(column.Index) ? Input.Column.Index : column.Index);
        }

        return needed.Select(i => InputSchema[i]);
    }
}

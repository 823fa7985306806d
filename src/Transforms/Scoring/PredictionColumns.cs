using DeepLearning.Transforms.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// The output columns of a <see cref="PredictionKind"/>, as ML.NET's evaluators expect them:
/// their names, types and annotations, and how each value is read from a row's network outputs.
/// </summary>
internal sealed class PredictionColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    private readonly Column[] _columns;

    public PredictionColumns(PredictionKind kind, int outputSize, KeyValuesAnnotation? labelKeyValues)
    {
        Kind = kind;
        OutputSize = outputSize;
        _columns = kind switch
        {
            PredictionKind.MulticlassClassification =>
            [
                new(Score, new VectorDataViewType(NumberDataViewType.Single, outputSize), ScoreAnnotations("MulticlassClassification", MlNetEnvironment.ScoreKinds.Score, labelKeyValues, outputSize)),
                new(PredictedLabel, new KeyDataViewType(typeof(uint), outputSize), KeyAnnotations(labelKeyValues)),
            ],
            PredictionKind.BinaryClassification =>
            [
                new(Score, NumberDataViewType.Single, ScoreAnnotations("BinaryClassification", MlNetEnvironment.ScoreKinds.Score, null, 0)),
                new(Probability, NumberDataViewType.Single, ScoreAnnotations("BinaryClassification", MlNetEnvironment.ScoreKinds.Probability, null, 0)),
                new(PredictedLabel, BooleanDataViewType.Instance, ScoreAnnotations("BinaryClassification", MlNetEnvironment.ScoreKinds.PredictedLabel, null, 0)),
            ],
            PredictionKind.Regression =>
            [
                new(Score, NumberDataViewType.Single, ScoreAnnotations("Regression", MlNetEnvironment.ScoreKinds.Score, null, 0)),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind."),
        };
    }

    public PredictionKind Kind { get; }

    public int OutputSize { get; }

    /// <summary>Whether the network's outputs go through softmax before the columns read them.</summary>
    public bool Softmax => Kind == PredictionKind.MulticlassClassification;

    public int Count => _columns.Length;

    public string NameAt(int index) => _columns[index].Name;

    public DataViewType TypeAt(int index) => _columns[index].Type;

    /// <summary>The input schema with the prediction columns appended (hiding input columns of the same names).</summary>
    public DataViewSchema AppendTo(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var column in _columns)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        return builder.ToSchema();
    }

    /// <summary>The prediction columns as a schema shape, for an estimator's <c>GetOutputSchema</c>.</summary>
    /// <param name="labelKeyValues">The label's <c>KeyValues</c> annotation shape, carried to <c>PredictedLabel</c>, if any.</param>
    public IEnumerable<SchemaShape.Column> ShapeColumns(SchemaShape.Column? labelKeyValues)
    {
        foreach (var column in _columns)
        {
            var kind = column.Type is VectorDataViewType ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar;
            var annotations = column.Annotations.Schema.Select(a => MlNetEnvironment.ShapeColumn(a.Name, a.Type is VectorDataViewType ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar, ItemType(a.Type), false)).ToList();
            if (column.Type is KeyDataViewType && labelKeyValues is { } keys && annotations.All(a => a.Name != keys.Name))
            {
                annotations.Add(keys);
            }

            yield return MlNetEnvironment.ShapeColumn(column.Name, kind, ItemType(column.Type), column.Type is KeyDataViewType, MlNetEnvironment.Shape(annotations));
        }
    }

    private static DataViewType ItemType(DataViewType type) => type switch
    {
        VectorDataViewType vector => vector.ItemType,
        KeyDataViewType => NumberDataViewType.UInt32,
        _ => type,
    };

    /// <summary>A getter for prediction column <paramref name="index"/> that reads the current row's outputs.</summary>
    /// <param name="index">Index among the prediction columns.</param>
    /// <param name="outputs">Returns the current row's network outputs (after softmax for multiclass).</param>
    public Delegate MakeGetter(int index, Func<ReadOnlyMemory<float>> outputs)
    {
        var name = _columns[index].Name;
        return (Kind, name) switch
        {
            (PredictionKind.MulticlassClassification, Score) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) =>
            {
                var row = outputs().Span;
                var editor = VBufferEditor.Create(ref dst, row.Length);
                row.CopyTo(editor.Values);
                dst = editor.Commit();
            }),
            (PredictionKind.MulticlassClassification, PredictedLabel) => (ValueGetter<uint>)((ref uint dst) => dst = (uint)ArgMax(outputs().Span) + 1),
            (PredictionKind.BinaryClassification, Score) or (PredictionKind.Regression, Score) => (ValueGetter<float>)((ref float dst) => dst = outputs().Span[0]),
            (PredictionKind.BinaryClassification, Probability) => (ValueGetter<float>)((ref float dst) => dst = 1f / (1f + MathF.Exp(-outputs().Span[0]))),
            (PredictionKind.BinaryClassification, PredictedLabel) => (ValueGetter<bool>)((ref bool dst) => dst = outputs().Span[0] > 0),
            _ => throw new InvalidOperationException($"No getter for column {name} of {Kind}."),
        };
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static DataViewSchema.Annotations ScoreAnnotations(string task, string valueKind, KeyValuesAnnotation? slotNames, int size)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (slotNames is not null && slotNames.Values.Count == size)
        {
            var names = slotNames.AsSlotNames();
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) => names.CopyTo(ref dst);
            builder.Add(MlNetEnvironment.AnnotationKindNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, size), getter);
        }

        builder.Add(MlNetEnvironment.ScoreKinds.ColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = task.AsMemory());
        builder.Add(MlNetEnvironment.ScoreKinds.ValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = valueKind.AsMemory());
        return builder.ToAnnotations();
    }

    private static DataViewSchema.Annotations KeyAnnotations(KeyValuesAnnotation? keyValues)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        keyValues?.AddTo(builder);
        builder.Add(MlNetEnvironment.ScoreKinds.ColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = "MulticlassClassification".AsMemory());
        builder.Add(MlNetEnvironment.ScoreKinds.ValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = MlNetEnvironment.ScoreKinds.PredictedLabel.AsMemory());
        return builder.ToAnnotations();
    }

    private sealed record Column(string Name, DataViewType Type, DataViewSchema.Annotations Annotations);
}

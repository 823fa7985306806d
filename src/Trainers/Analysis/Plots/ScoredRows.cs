using System.Globalization;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Analysis;

/// <summary>The rows of a view scored by a multiclass model: true and predicted class (0-based, -1 when missing), score of the prediction, and optionally the image.</summary>
internal sealed class ScoredRows
{
    private ScoredRows(IReadOnlyList<string> classNames, int[] truth, int[] predicted, float[] scores, float[] trueScores, List<float[]> images, (int C, int H, int W) shape)
    {
        TrueScores = trueScores;
        ClassNames = classNames;
        Truth = truth;
        Predicted = predicted;
        Scores = scores;
        Images = images;
        ImageShape = shape;
    }

    /// <summary>Class names from the label's key values (the key numbers as text when it has none).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>0-based true class of each row; -1 for a missing label.</summary>
    public int[] Truth { get; }

    /// <summary>0-based predicted class of each row; -1 for a missing prediction.</summary>
    public int[] Predicted { get; }

    /// <summary>Score of the predicted class of each row (NaN without a score column).</summary>
    public float[] Scores { get; }

    /// <summary>Score of the true class of each row (NaN without a score column or a label).</summary>
    public float[] TrueScores { get; }

    /// <summary>The image of each row, when read.</summary>
    public IReadOnlyList<float[]> Images { get; }

    /// <summary>Shape of the images, when read.</summary>
    public (int C, int H, int W) ImageShape { get; }

    /// <summary>The rows with both a true and a predicted class, in order.</summary>
    public int[] Labelled() => Enumerable.Range(0, Truth.Length).Where(i => Truth[i] >= 0 && Predicted[i] >= 0).ToArray();

    /// <summary>Reads the rows.</summary>
    /// <param name="data">The scored view.</param>
    /// <param name="label">Key column of true classes.</param>
    /// <param name="predictedLabel">Key column of predicted classes, or text naming the label's classes.</param>
    /// <param name="score">Score vector column, or <see langword="null"/> to skip.</param>
    /// <param name="features">Image vector column, or <see langword="null"/> to skip.</param>
    public static ScoredRows Read(IDataView data, string label, string predictedLabel, string? score, string? features)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelColumn = KeyColumn(data, label, nameof(label));
        var classes = ((KeyDataViewType)labelColumn.Type).Count;
        var names = KeyValuesAnnotation.TryRead(labelColumn)?.Values
            ?? Enumerable.Range(1, (int)classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        var predictedColumn = Find(data, predictedLabel, nameof(predictedLabel));
        if (predictedColumn.Type is not TextDataViewType)
        {
            KeyColumn(data, predictedLabel, nameof(predictedLabel));
            var predictedClasses = ((KeyDataViewType)predictedColumn.Type).Count;
            if (predictedClasses != classes)
            {
                throw new ArgumentException($"Column '{predictedLabel}' has {predictedClasses} classes but '{label}' has {classes}.", nameof(predictedLabel));
            }
        }
        var scoreColumn = score is null ? (DataViewSchema.Column?)null : FloatVector(data, score, nameof(score));
        var featureColumn = features is null ? (DataViewSchema.Column?)null : FloatVector(data, features, nameof(features));
        var shape = featureColumn is { } f ? Shape(f) : default;

        var columns = new[] { labelColumn, predictedColumn, scoreColumn, featureColumn }.OfType<DataViewSchema.Column>();
        using var cursor = data.GetRowCursor(columns);
        var getLabel = cursor.GetGetter<uint>(labelColumn);
        var getPredicted = PredictedKey(cursor, predictedColumn, names);
        var getScore = scoreColumn is { } s ? cursor.GetGetter<VBuffer<float>>(s) : null;
        var getFeatures = featureColumn is { } fc ? cursor.GetGetter<VBuffer<float>>(fc) : null;
        List<int> truth = [], predicted = [];
        List<float> scores = [], trueScores = [];
        List<float[]> images = [];
        uint key = 0;
        VBuffer<float> vector = default;
        while (cursor.MoveNext())
        {
            getLabel(ref key);
            truth.Add((int)key - 1);
            getPredicted(ref key);
            predicted.Add((int)key - 1);
            if (getScore is not null)
            {
                getScore(ref vector);
            }

            scores.Add(getScore is null ? float.NaN : Slot(vector, predicted[^1]));
            trueScores.Add(getScore is null ? float.NaN : Slot(vector, truth[^1]));
            if (getFeatures is not null)
            {
                getFeatures(ref vector);
                images.Add(vector.DenseValues().ToArray());
            }
        }

        return new ScoredRows(names, [.. truth], [.. predicted], [.. scores], [.. trueScores], images, shape);
    }

    /// <summary>The score of a 0-based class, NaN for a missing class (-1) or one past the vector.</summary>
    private static float Slot(in VBuffer<float> scores, int index) => index >= 0 && index < scores.Length ? scores.GetItemOrDefault(index) : float.NaN;

    /// <summary>A getter of the predicted key; a text column (after <c>MapKeyToValue</c>) is looked up in the class names.</summary>
    private static ValueGetter<uint> PredictedKey(DataViewRowCursor cursor, DataViewSchema.Column column, IReadOnlyList<string> names)
    {
        if (column.Type is not TextDataViewType)
        {
            return cursor.GetGetter<uint>(column);
        }

        var keys = names.Select((n, i) => (n, i)).DistinctBy(p => p.n).ToDictionary(p => p.n, p => (uint)p.i + 1, StringComparer.Ordinal);
        var getText = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        return (ref uint key) =>
        {
            getText(ref text);
            var name = text.ToString();
            key = name.Length == 0 ? 0
                : keys.TryGetValue(name, out var k) ? k
                : throw new ArgumentException($"Column '{column.Name}' predicts '{name}', which is not one of the label's classes ({string.Join(", ", names)}).", "predictedLabel");
        };
    }

    private static DataViewSchema.Column KeyColumn(IDataView data, string name, string parameter)
    {
        var column = Find(data, name, parameter);
        return column.Type is KeyDataViewType { Count: > 0 and <= int.MaxValue } && column.Type.RawType == typeof(uint)
            ? column
            : throw new ArgumentException($"Column '{name}' must be a key (UInt32) column with a known class count, not {column.Type}.", parameter);
    }

    private static DataViewSchema.Column FloatVector(IDataView data, string name, string parameter)
    {
        var column = Find(data, name, parameter);
        return column.Type is VectorDataViewType { ItemType: var item, IsKnownSize: true } && item == NumberDataViewType.Single
            ? column
            : throw new ArgumentException($"Column '{name}' must be a known-size vector of Single, not {column.Type}.", parameter);
    }

    private static DataViewSchema.Column Find(IDataView data, string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        return data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The data has no column '{name}'.", parameter);
    }

    /// <summary>The image shape of a vector column, from its image-shape annotations or its <c>[C, H, W]</c> dimensions.</summary>
    internal static (int C, int H, int W) Shape(DataViewSchema.Column column)
    {
        var type = (VectorDataViewType)column.Type;
        if (ImageShapeAnnotations.TryGet(column, out var c, out var h, out var w) && c * h * w == type.Size)
        {
            return (c, h, w);
        }

        if (type.Dimensions is [var dc, var dh, var dw])
        {
            return (dc, dh, dw);
        }

        throw new ArgumentException(
            $"Column '{column.Name}' ({type}) records no image shape: it needs the {nameof(ImageShapeAnnotations)} annotations or [C, H, W] dimensions.",
            "features");
    }
}

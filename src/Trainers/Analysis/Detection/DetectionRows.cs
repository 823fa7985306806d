using System.Globalization;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Reads the rows of a view in ML.NET's object-detection layout as <see cref="DetectionImage"/>s (keys become 0-based classes).</summary>
internal static class DetectionRows
{
    /// <summary>Reads every row; the label column's key count and key values give the classes.</summary>
    /// <param name="data">The view.</param>
    /// <param name="columns">The five column names.</param>
    /// <param name="maxRows">How many rows at most, from the first.</param>
    /// <returns>One image per row, in order, and the class names.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type.</exception>
    public static (IReadOnlyList<DetectionImage> Images, IReadOnlyList<string> ClassNames) Read(IDataView data, DetectionColumns columns, int maxRows = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = KeyVector(data, columns.Labels);
        var classes = (int)((KeyDataViewType)((VectorDataViewType)labels.Type).ItemType).Count;
        var predictedLabels = KeyVector(data, columns.PredictedLabels);
        var predictedClasses = ((KeyDataViewType)((VectorDataViewType)predictedLabels.Type).ItemType).Count;
        if (predictedClasses != (ulong)classes)
        {
            throw new ArgumentException($"Column '{columns.PredictedLabels}' has keys of {predictedClasses} classes but '{columns.Labels}' has {classes}; they must be the same classes.", columns.PredictedLabels);
        }

        var names = KeyValuesAnnotation.TryRead(labels)?.Values
            ?? Enumerable.Range(1, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        var boxes = FloatVector(data, columns.Boxes);
        var predictedBoxes = FloatVector(data, columns.PredictedBoxes);
        var scores = FloatVector(data, columns.Scores);

        using var cursor = data.GetRowCursor([labels, boxes, predictedLabels, predictedBoxes, scores]);
        var getLabels = Getter<uint>(cursor, labels);
        var getPredictedLabels = Getter<uint>(cursor, predictedLabels);
        var getBoxes = Getter<float>(cursor, boxes);
        var getPredictedBoxes = Getter<float>(cursor, predictedBoxes);
        var getScores = Getter<float>(cursor, scores);
        var images = new List<DetectionImage>();
        while (images.Count < maxRows && cursor.MoveNext())
        {
            images.Add(new DetectionImage(getBoxes(), Classes(getLabels()), getPredictedBoxes(), Classes(getPredictedLabels()), getScores()));
        }

        return (images, names);
    }

    /// <summary>Reads the images of the first <paramref name="count"/> rows from a known-size Single vector column with an image shape.</summary>
    /// <param name="data">The view.</param>
    /// <param name="name">The image column: image-shape annotations or <c>[C, H, W]</c> dimensions, 1 or 3 channels.</param>
    /// <param name="count">How many rows at most.</param>
    /// <exception cref="ArgumentException">The column is missing, of the wrong type or without an image shape.</exception>
    public static (IReadOnlyList<float[]> Images, (int C, int H, int W) Shape) ReadImages(IDataView data, string name, int count)
    {
        var column = Find(data, name);
        if (column.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: true } || item != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{name}' must be a known-size vector of Single holding images; it is {column.Type}.", name);
        }

        var shape = ScoredRows.Shape(column);
        Plots.CheckShape([shape.C, shape.H, shape.W]);
        using var cursor = data.GetRowCursor([column]);
        var get = Getter<float>(cursor, column);
        var images = new List<float[]>();
        while (images.Count < count && cursor.MoveNext())
        {
            images.Add(get());
        }

        return (images, shape);
    }

    /// <summary>1-based keys to 0-based classes; a missing key (0) becomes -1, which validation reports.</summary>
    private static int[] Classes(uint[] keys) => keys.Select(k => (int)k - 1).ToArray();

    private static Func<T[]> Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var get = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        return () =>
        {
            get(ref buffer);
            return buffer.DenseValues().ToArray();
        };
    }

    private static DataViewSchema.Column KeyVector(IDataView data, string name)
    {
        var column = Find(data, name);
        return column.Type is VectorDataViewType { ItemType: KeyDataViewType { Count: > 0 and <= int.MaxValue } key } && key.RawType == typeof(uint)
            ? column
            : throw new ArgumentException($"Column '{name}' must be a vector of keys (UInt32) with a known class count, one per object; it is {column.Type}.", name);
    }

    private static DataViewSchema.Column FloatVector(IDataView data, string name)
    {
        var column = Find(data, name);
        return column.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single
            ? column
            : throw new ArgumentException($"Column '{name}' must be a vector of Single; it is {column.Type}.", name);
    }

    private static DataViewSchema.Column Find(IDataView data, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The data has no column '{name}'.", name);
    }
}

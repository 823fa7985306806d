using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// The columns the face detection transform reads and appends, following ML.NET's object-detection
/// convention (one value per face, M varying from row to row): <c>PredictedLabel</c> (M keys, all the one
/// class "face"), <c>Score</c> (M) and <c>PredictedBoundingBoxes</c> (4·M: x1, y1, x2, y2 of each face in the
/// original image's pixels), faces best first.
/// </summary>
public static class FaceDetectionColumns
{
    /// <summary>The default image column.</summary>
    public const string DefaultInput = "Image";

    /// <summary>The keys of the faces (vector of keys, all 1).</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The faces' scores (vector of Single).</summary>
    public const string Score = "Score";

    /// <summary>The faces' corners (vector of Single, 4 per face).</summary>
    public const string PredictedBoundingBoxes = "PredictedBoundingBoxes";

    /// <summary>The value of the one key.</summary>
    public const string FaceLabel = "face";

    /// <summary>Values per box in <see cref="PredictedBoundingBoxes"/>.</summary>
    internal const int BoxValues = 4;

    private static readonly KeyDataViewType FaceKey = new(typeof(uint), 1);

    /// <summary>The appended columns in order: labels, scores, boxes.</summary>
    internal static IReadOnlyList<string> Names { get; } = [PredictedLabel, Score, PredictedBoundingBoxes];

    /// <summary>The input schema with the three columns appended (hiding input columns of the same names).</summary>
    internal static DataViewSchema OutputSchema(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.AddKeyValues(1, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(1, [FaceLabel.AsMemory()]));
        builder.AddColumn(PredictedLabel, new VectorDataViewType(FaceKey), keyValues.ToAnnotations());
        builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(PredictedBoundingBoxes, new VectorDataViewType(NumberDataViewType.Single));
        return builder.ToSchema();
    }

    /// <summary>The input shape with the three columns appended, for the estimator's <c>GetOutputSchema</c>.</summary>
    internal static SchemaShape OutputShape(SchemaShape input)
    {
        var columns = input.ToDictionary(c => c.Name);
        var keyValues = MlNetEnvironment.ShapeColumn(MlNetEnvironment.AnnotationKindNames.KeyValues, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false);
        columns[PredictedLabel] = MlNetEnvironment.ShapeColumn(PredictedLabel, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.UInt32, true, MlNetEnvironment.Shape([keyValues]));
        columns[Score] = MlNetEnvironment.ShapeColumn(Score, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false);
        columns[PredictedBoundingBoxes] = MlNetEnvironment.ShapeColumn(PredictedBoundingBoxes, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false);
        return MlNetEnvironment.Shape(columns.Values);
    }

    /// <summary>The getter of appended column <paramref name="output"/> (0 labels, 1 scores, 2 boxes) over the current row's faces.</summary>
    internal static Delegate Getter(int output, Func<IReadOnlyList<DetectedFace>> faces) => Names[output] switch
    {
        PredictedLabel => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) => Fill(ref value, faces(), 1, static (_, _) => 1u)),
        Score => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, faces(), 1, static (face, _) => face.Score)),
        _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, faces(), BoxValues, Corner)),
    };

    /// <summary>Throws unless <paramref name="schema"/> has an image column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of another type; the message names it and its type.</exception>
    internal static DataViewSchema.Column RequireImage(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw Missing(name, schema.Where(c => !c.IsHidden).Select(c => c.Name));
        return ImageSource.CanRead(column.Type) ? column : throw WrongType(name, column.Type);
    }

    /// <summary>The error for an input column of a type the detector does not read.</summary>
    internal static ArgumentOutOfRangeException WrongType(string name, DataViewType type)
        => new("inputColumnName", name, $"Image column '{name}' is {type}; the face detector reads {ImageErrors.AcceptedTypes}.");

    /// <summary>The error for an image column that is not in the input.</summary>
    internal static ArgumentOutOfRangeException Missing(string name, IEnumerable<string> columns)
        => new("inputColumnName", name, $"Image column '{name}' was not found in the input. Columns: {string.Join(", ", columns)}.");

    private static float Corner(DetectedFace face, int corner) => corner switch
    {
        0 => face.Left,
        1 => face.Top,
        2 => face.Right,
        _ => face.Bottom,
    };

    private static void Fill<T>(ref VBuffer<T> value, IReadOnlyList<DetectedFace> faces, int perFace, Func<DetectedFace, int, T> read)
    {
        var editor = VBufferEditor.Create(ref value, faces.Count * perFace);
        for (var i = 0; i < faces.Count * perFace; i++)
        {
            editor.Values[i] = read(faces[i / perFace], i % perFace);
        }

        value = editor.Commit();
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DeepLearning.Transforms.MlNet;

/// <summary>Access to the ML.NET environment behind a context or one of its catalogs.</summary>
internal static class MlNetEnvironment
{
    /// <summary>The environment behind a catalog such as <c>mlContext.MulticlassClassification.Trainers</c>.</summary>
    public static IHostEnvironment FromCatalog(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog is IInternalCatalog internalCatalog
            ? CatalogUtils.GetEnvironment(internalCatalog)
            : throw new ArgumentException($"{catalog.GetType().Name} is not an ML.NET catalog.", nameof(catalog));
    }

    /// <summary>Builds a <see cref="SchemaShape.Column"/> (its constructor is internal).</summary>
    public static SchemaShape.Column ShapeColumn(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        => new(name, kind, itemType, isKey, annotations);

    /// <summary>The shape of a schema, as estimators' <c>GetOutputSchema</c> takes it (<c>SchemaShape.Create</c> is internal).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) => SchemaShape.Create(schema);

    /// <summary>Builds a <see cref="SchemaShape"/> from columns.</summary>
    public static SchemaShape Shape(IEnumerable<SchemaShape.Column> columns) => new(columns);

    /// <summary>Output columns as schema-shape columns, for an estimator's <c>GetOutputSchema</c>.</summary>
    /// <param name="columns">The columns a head appends.</param>
    /// <param name="labelKeyValues">The label's <c>KeyValues</c> annotation shape, carried to key columns, if any.</param>
    public static IEnumerable<SchemaShape.Column> ShapeColumns(IEnumerable<Heads.OutputColumn> columns, SchemaShape.Column? labelKeyValues)
    {
        foreach (var column in columns)
        {
            var annotations = column.Annotations.Schema.Select(a => ShapeColumn(a.Name, KindOf(a.Type), ItemType(a.Type), false)).ToList();
            var isKey = (column.Type is VectorDataViewType v ? v.ItemType : column.Type) is KeyDataViewType;
            if (isKey && labelKeyValues is { } keys && annotations.All(a => a.Name != keys.Name))
            {
                annotations.Add(keys);
            }

            yield return ShapeColumn(column.Name, KindOf(column.Type), ItemType(column.Type), isKey, Shape(annotations));
        }
    }

    private static SchemaShape.Column.VectorKind KindOf(DataViewType type) => type switch
    {
        VectorDataViewType { IsKnownSize: true } => SchemaShape.Column.VectorKind.Vector,
        VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
        _ => SchemaShape.Column.VectorKind.Scalar,
    };

    private static DataViewType ItemType(DataViewType type) => (type is VectorDataViewType vector ? vector.ItemType : type) switch
    {
        KeyDataViewType => NumberDataViewType.UInt32,
        var item => item,
    };

    /// <summary>Names of the ML.NET annotation kinds we read and write.</summary>
    public static class AnnotationKindNames
    {
        /// <summary>Names of the slots of a vector column.</summary>
        public const string SlotNames = AnnotationUtils.Kinds.SlotNames;

        /// <summary>Values behind the keys of a key column.</summary>
        public const string KeyValues = AnnotationUtils.Kinds.KeyValues;
    }

    /// <summary>The annotations ML.NET trainers put on score columns, so evaluators and tools recognise them.</summary>
    public static class ScoreKinds
    {
        /// <summary>Annotation kind naming the task of a score column.</summary>
        public const string ColumnKind = AnnotationUtils.Kinds.ScoreColumnKind;

        /// <summary>Annotation kind naming what a score column holds.</summary>
        public const string ValueKind = AnnotationUtils.Kinds.ScoreValueKind;

        /// <summary>Value kind of a score column.</summary>
        public const string Score = AnnotationUtils.Const.ScoreValueKind.Score;

        /// <summary>Value kind of a probability column.</summary>
        public const string Probability = AnnotationUtils.Const.ScoreValueKind.Probability;

        /// <summary>Value kind of a predicted-label column.</summary>
        public const string PredictedLabel = AnnotationUtils.Const.ScoreValueKind.PredictedLabel;
    }
}

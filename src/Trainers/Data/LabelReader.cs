using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Data;

/// <summary>
/// Checks a label column for a task and reads its values as floats: class indices from 0 for
/// multiclass (key or integral Single labels), 0/1 for binary (Boolean, Single 0/1 or a 2-value
/// key), targets for regression (Single). Bad values throw naming the column, row and value.
/// </summary>
internal sealed class LabelReader
{
    private readonly PredictionKind _kind;
    private readonly int? _expectedClasses;

    private LabelReader(DataViewSchema.Column column, PredictionKind kind, int? expectedClasses)
    {
        Column = column;
        _kind = kind;
        _expectedClasses = expectedClasses;
        KeyCount = column.Type is KeyDataViewType key ? checked((int)key.Count) : null;
        KeyValues = column.Type is KeyDataViewType && kind == PredictionKind.MulticlassClassification ? KeyValuesAnnotation.TryRead(column) : null;
    }

    public DataViewSchema.Column Column { get; }

    public int? KeyCount { get; }

    public KeyValuesAnnotation? KeyValues { get; }

    public static LabelReader Bind(DataViewSchema schema, string name, PredictionKind kind, int? expectedClasses)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Label column '{name}' was not found in the training data. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        var type = column.Type;
        var ok = kind switch
        {
            PredictionKind.MulticlassClassification => type is KeyDataViewType { Count: > 0 and <= int.MaxValue } || type == NumberDataViewType.Single,
            PredictionKind.BinaryClassification => type == BooleanDataViewType.Instance || type == NumberDataViewType.Single || type is KeyDataViewType { Count: 2 },
            PredictionKind.Regression => type == NumberDataViewType.Single,
            _ => false,
        };
        if (!ok)
        {
            var expected = kind switch
            {
                PredictionKind.MulticlassClassification => "a key type (use mlContext.Transforms.Conversion.MapValueToKey) or Single class indices",
                PredictionKind.BinaryClassification => "Boolean, Single 0/1 or a key with 2 values",
                _ => "Single",
            };
            throw new ArgumentOutOfRangeException(nameof(name), name, $"Label column '{name}' is of type {type}; {kind} needs {expected}.");
        }

        return new LabelReader(column, kind, expectedClasses);
    }

    /// <summary>A function reading the current row's label of <paramref name="cursor"/> as a float.</summary>
    public Func<long, float> CreateGetter(DataViewRow cursor)
    {
        var name = Column.Name;
        switch (Column.Type)
        {
            case KeyDataViewType key:
                var keyGetter = cursor.GetGetter<uint>(Column);
                uint k = 0;
                return row =>
                {
                    keyGetter(ref k);
                    if (k == 0 || k > key.Count)
                    {
                        throw new InvalidOperationException($"Label column '{name}' has a missing or unknown key value in row {row}; remove such rows or map them to a class.");
                    }

                    return k - 1;
                };
            case BooleanDataViewType:
                var boolGetter = cursor.GetGetter<bool>(Column);
                bool b = false;
                return _ =>
                {
                    boolGetter(ref b);
                    return b ? 1 : 0;
                };
            default:
                var floatGetter = cursor.GetGetter<float>(Column);
                float f = 0;
                return row =>
                {
                    floatGetter(ref f);
                    Check(f, row);
                    return f;
                };
        }
    }

    /// <summary>Number of classes of a multiclass label: the key count, or the largest index + 1.</summary>
    public int ClassCount(ReadOnlySpan<float> labels)
    {
        int classes;
        if (KeyCount is int keys)
        {
            classes = keys;
        }
        else
        {
            var max = 0f;
            foreach (var v in labels)
            {
                max = Math.Max(max, v);
            }

            classes = (int)max + 1;
        }

        if (_expectedClasses is int expected && classes > expected)
        {
            throw new InvalidOperationException($"Label column '{Column.Name}' has {classes} classes, but the training data has {expected}.");
        }

        if (classes < 2 && _expectedClasses is null)
        {
            throw new InvalidOperationException($"Label column '{Column.Name}' has only {classes} class; multiclass classification needs at least 2.");
        }

        return _expectedClasses ?? classes;
    }

    private void Check(float value, long row)
    {
        var valid = _kind switch
        {
            PredictionKind.MulticlassClassification => value >= 0 && value == MathF.Floor(value) && value < 1 << 24,
            PredictionKind.BinaryClassification => value is 0 or 1,
            _ => float.IsFinite(value),
        };
        if (!valid)
        {
            var expected = _kind switch
            {
                PredictionKind.MulticlassClassification => "a class index 0, 1, 2, …",
                PredictionKind.BinaryClassification => "0 or 1",
                _ => "a finite number",
            };
            throw new InvalidOperationException($"Label column '{Column.Name}' has the value {value} in row {row}; {_kind} needs {expected}.");
        }
    }
}

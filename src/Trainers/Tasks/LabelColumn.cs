using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Finds a label column and reads its values as floats, in the ways the tasks share: class indices
/// from 0 (a key, or integral Single), binary 0/1 (Boolean, Single 0/1 or a 2-value key), or finite
/// Single targets. Every bad value throws naming the column, the row and the value.
/// </summary>
internal static class LabelColumn
{
    /// <summary>How a task reads a label type.</summary>
    public enum Kind
    {
        /// <summary>Class indices 0, 1, 2, … from a key or an integral Single.</summary>
        ClassIndex,

        /// <summary>0/1 from a Boolean, a Single 0/1 or a key with 2 values.</summary>
        Binary,

        /// <summary>Any finite Single.</summary>
        Real,

        /// <summary>0/1 from a Boolean (never missing) or a Single 0/1, NaN meaning missing (read as NaN).</summary>
        BinaryOrMissing,
    }

    /// <summary>Finds the column and checks its type for <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of another type.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, Kind kind, string task)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("LabelColumnName", name, $"Label column '{name}' was not found in the data. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        var type = column.Type;
        var ok = kind switch
        {
            Kind.ClassIndex => type is KeyDataViewType { Count: > 0 and <= int.MaxValue } || type == NumberDataViewType.Single,
            Kind.Binary => type == BooleanDataViewType.Instance || type == NumberDataViewType.Single || type is KeyDataViewType { Count: 2 },
            Kind.BinaryOrMissing => type == BooleanDataViewType.Instance || type == NumberDataViewType.Single,
            _ => type == NumberDataViewType.Single,
        };
        return ok ? column : throw new ArgumentOutOfRangeException("LabelColumnName", name, $"Label column '{name}' is of type {type}; {task} needs {Expected(kind)}.");
    }

    /// <summary>A reader of the current row's label as a float, checked for <paramref name="kind"/>.</summary>
    public static Func<long, float> CreateGetter(DataViewRow row, DataViewSchema.Column column, Kind kind, string task)
    {
        var name = column.Name;
        switch (column.Type)
        {
            case KeyDataViewType key:
                var keyGetter = row.GetGetter<uint>(column);
                uint k = 0;
                return position =>
                {
                    keyGetter(ref k);
                    return k == 0 || k > key.Count
                        ? throw new InvalidOperationException($"Label column '{name}' has a missing or unknown key value in row {position}; remove such rows or map them to a class.")
                        : k - 1;
                };
            case BooleanDataViewType:
                var boolGetter = row.GetGetter<bool>(column);
                bool b = false;
                return _ =>
                {
                    boolGetter(ref b);
                    return b ? 1 : 0;
                };
            default:
                var floatGetter = row.GetGetter<float>(column);
                float f = 0;
                return position =>
                {
                    floatGetter(ref f);
                    var valid = kind switch
                    {
                        Kind.ClassIndex => f >= 0 && f == MathF.Floor(f) && f < 1 << 24,
                        Kind.Binary => f is 0 or 1,
                        Kind.BinaryOrMissing => f is 0 or 1 || float.IsNaN(f),
                        _ => float.IsFinite(f),
                    };
                    return valid ? f : throw new InvalidOperationException(
                        $"Label column '{name}' has the value {f.ToString(CultureInfo.InvariantCulture)} in row {position}; {task} needs {ExpectedValue(kind)}.");
                };
        }
    }

    /// <summary>Reads every label once and counts the rows of each class (index = class).</summary>
    /// <exception cref="InvalidOperationException">A label is invalid, or there are no rows.</exception>
    public static long[] CountClasses(IDataView data, DataViewSchema.Column column, Kind kind, string task)
    {
        var counts = new long[column.Type is KeyDataViewType key ? checked((int)key.Count) : 2];
        long rows = 0;
        using (var cursor = data.GetRowCursor([column]))
        {
            var read = CreateGetter(cursor, column, kind, task);
            while (cursor.MoveNext())
            {
                var index = (int)read(cursor.Position);
                if (index >= counts.Length)
                {
                    Array.Resize(ref counts, Math.Max(index + 1, counts.Length * 2));
                }

                counts[index]++;
                rows++;
            }
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The data is empty: label column '{column.Name}' has no rows.");
        }

        var used = column.Type is KeyDataViewType ? counts.Length : Array.FindLastIndex(counts, c => c > 0) + 1;
        return counts[..used];
    }

    /// <summary>
    /// The checks every classification task applies to class counts: fewer than two classes present is an
    /// error; classes that never occur (a gap in Single indices, an unused key) are a warning.
    /// </summary>
    /// <returns>The warnings.</returns>
    public static IReadOnlyList<string> CheckClasses(DataViewSchema.Column column, long[] counts, string task)
    {
        var present = counts.Count(c => c > 0);
        if (present < 2)
        {
            throw new InvalidOperationException($"Label column '{column.Name}' holds only one class ({Describe(column, Array.FindIndex(counts, c => c > 0))}) in every row; {task} needs at least two classes in the training data.");
        }

        var missing = Enumerable.Range(0, counts.Length).Where(i => counts[i] == 0).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var shown = string.Join(", ", missing.Take(10).Select(i => Describe(column, i))) + (missing.Count > 10 ? ", …" : string.Empty);
        return [$"Label column '{column.Name}' defines {counts.Length} classes but {missing.Count} never occur in the training data ({shown}); the network still gets {counts.Length} outputs. Check for a typo in the labels or map them to consecutive classes."];
    }

    private static string Describe(DataViewSchema.Column column, int index)
        => column.Type is KeyDataViewType ? $"key {index + 1}" : $"class {index}";

    private static string Expected(Kind kind) => kind switch
    {
        Kind.ClassIndex => "a key type (use mlContext.Transforms.Conversion.MapValueToKey) or Single class indices",
        Kind.Binary => "Boolean, Single 0/1 or a key with 2 values",
        Kind.BinaryOrMissing => "Boolean or Single 0/1 (NaN for a missing label)",
        _ => "Single",
    };

    private static string ExpectedValue(Kind kind) => kind switch
    {
        Kind.ClassIndex => "a class index 0, 1, 2, …",
        Kind.Binary => "0 or 1",
        Kind.BinaryOrMissing => "0, 1 or NaN (missing)",
        _ => "a finite number",
    };
}

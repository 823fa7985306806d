using System.Globalization;
using System.Reflection;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Reads a scalar column as invariant-culture text, one entry per row, so that values of any type can
/// be grouped and compared: a key reads as its key value (the label before <c>MapValueToKey</c>) when
/// the column has key values, as the key number otherwise. Missing values (key 0, NaN) read as
/// <see langword="null"/>.
/// </summary>
internal static class ColumnText
{
    private static readonly MethodInfo ReadScalar = typeof(ColumnText).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Finds a column by name, with an exception naming the option and the column when it is absent.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columnName">The column's name.</param>
    /// <param name="option">The option or parameter that names the column.</param>
    public static DataViewSchema.Column Find(IDataView data, string columnName, string option)
    {
        OptionCheck.RequireName(columnName, option);
        return data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentException(
                $"Option {option} = '{columnName}' names no column of the data (columns: {string.Join(", ", data.Schema.Select(c => c.Name))}).",
                option);
    }

    /// <summary>Reads every row of a scalar column as text.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columnName">A scalar column: text, number, boolean or key.</param>
    /// <param name="option">The option naming the column, for messages.</param>
    /// <returns>One entry per row; <see langword="null"/> for a missing value.</returns>
    /// <exception cref="ArgumentException">The column is absent or a vector.</exception>
    public static string?[] Read(IDataView data, string columnName, string option)
    {
        var column = Find(data, columnName, option);
        if (column.Type is not PrimitiveDataViewType)
        {
            throw new ArgumentException($"Option {option} = '{columnName}' names a column of type {column.Type}; it must be a scalar (text, number, boolean or key).", option);
        }

        var keyValues = column.Type is KeyDataViewType ? KeyValuesAnnotation.TryRead(column)?.Values : null;
        try
        {
            return (string?[])ReadScalar.MakeGenericMethod(column.Type.RawType).Invoke(null, [data, column, keyValues])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static string?[] ReadAs<T>(IDataView data, DataViewSchema.Column column, IReadOnlyList<string>? keyValues)
    {
        var isKey = column.Type is KeyDataViewType;
        var rows = new List<string?>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(isKey ? KeyText(Convert.ToUInt64(value, CultureInfo.InvariantCulture), keyValues) : ValueText(value));
        }

        return [.. rows];
    }

    private static string? KeyText(ulong key, IReadOnlyList<string>? keyValues) => key switch
    {
        0 => null,
        _ when keyValues is not null && key <= (ulong)keyValues.Count => keyValues[(int)key - 1],
        _ => key.ToString(CultureInfo.InvariantCulture),
    };

    private static string? ValueText<T>(T value) => value switch
    {
        float f when float.IsNaN(f) => null,
        double d when double.IsNaN(d) => null,
        _ => KeyValuesAnnotation.Format(value),
    };
}

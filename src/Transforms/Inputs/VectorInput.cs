using System.Numerics;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Inputs;

/// <summary>
/// Reads a known-size vector of <see cref="float"/> and gives it the shape <see cref="Dimensions"/>:
/// by default the column's own shape — <see cref="VectorDataViewType.Dimensions"/> (which ML.NET's
/// <c>ExtractPixels</c> sets to <c>[C, H, W]</c>), else this library's image-shape annotations,
/// else <c>[Size]</c> — or an explicit shape whose product is the vector size.
/// </summary>
[RegisteredName("vector")]
public sealed class VectorInput : InputAdapter
{
    /// <summary>Per-row shape, e.g. <c>[784]</c> or <c>[1, 28, 28]</c>.</summary>
    public long[] Dimensions { get; init; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<long> Shape => Dimensions;

    /// <summary>
    /// The adapter for <paramref name="columnName"/> of <paramref name="schema"/>, shaped as the column says or as <paramref name="shape"/> says.
    /// </summary>
    /// <param name="schema">The training data's schema.</param>
    /// <param name="columnName">The features column.</param>
    /// <param name="shape">An explicit per-row shape, or <see langword="null"/> to take the column's.</param>
    /// <param name="normalization">Per-channel normalisation, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a vector of Single, of unknown size without <paramref name="shape"/>, or of a known size other than the product of <paramref name="shape"/>.</exception>
    public static VectorInput FromSchema(DataViewSchema schema, string columnName, IReadOnlyList<long>? shape = null, InputNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var (column, vector) = Find(schema, columnName);
        if (!vector.IsKnownSize && shape is null)
        {
            throw Error(columnName, $"Features column '{columnName}' is a vector of Single of unknown size; the network needs a known size (set the vector size in the schema or give the shape explicitly).");
        }

        long[] dimensions = shape is not null ? [.. shape]
            : vector.Dimensions.Length > 1 ? vector.Dimensions.Select(d => (long)d).ToArray()
            : ImageShapeAnnotations.TryGet(column, out var c, out var h, out var w) && (long)c * h * w == vector.Size ? [c, h, w]
            : [vector.Size];
        var input = new VectorInput { ColumnName = columnName, Dimensions = dimensions, Normalization = normalization };
        input.Validate();
        if (vector.IsKnownSize && input.Length != vector.Size)
        {
            throw Error(columnName, $"Features column '{columnName}' has {vector.Size} values per row, but the shape [{string.Join(", ", dimensions)}] needs {input.Length}.");
        }

        return input;
    }

    /// <inheritdoc />
    public override void Validate()
    {
        ArgumentNullException.ThrowIfNull(Dimensions, nameof(Dimensions));
        OptionCheck.Require(Dimensions.Length >= 1, Dimensions.Length, $"{nameof(Dimensions)}.Length", "at least 1");
        base.Validate();
    }

    internal override BoundInput Bind(DataViewSchema schema)
    {
        var (column, vector) = Find(schema, ColumnName);
        if (vector.IsKnownSize && vector.Size != Length)
        {
            throw Error(ColumnName, $"Features column '{ColumnName}' has {vector.Size} values per row, but the network expects {Length} ([{string.Join(", ", Dimensions)}]).");
        }

        return new Bound(this, column);
    }

    internal override InputAdapter WithNormalization(InputNormalization? normalization)
        => new VectorInput { ColumnName = ColumnName, Dimensions = Dimensions, Normalization = normalization };

    private static (DataViewSchema.Column Column, VectorDataViewType Vector) Find(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw Error(name, $"Features column '{name}' was not found in the input. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        return column.Type is VectorDataViewType { ItemType: var item } vector && item == NumberDataViewType.Single
            ? (column, vector)
            : throw Error(name, $"Features column '{name}' must be a vector of Single, but is {column.Type}.");
    }

    private static ArgumentOutOfRangeException Error(string name, string message) => new(nameof(ColumnName), name, message);

    private sealed class Bound(VectorInput adapter, DataViewSchema.Column column) : BoundInput(adapter, column)
    {
        public override IInputReader CreateReader(DataViewRow row) => new Reader(adapter, row.GetGetter<VBuffer<float>>(Column));
    }

    private sealed class Reader(VectorInput adapter, ValueGetter<VBuffer<float>> getter) : IInputReader
    {
        private VBuffer<float> _value;

        public bool Read(Span<float> destination, long position)
        {
            getter(ref _value);
            if (_value.Length != adapter.Length)
            {
                throw new InvalidOperationException($"Features column '{adapter.ColumnName}' has {_value.Length} values in row {position}, but the network expects {adapter.Length}.");
            }

            _value.CopyTo(destination);
            return AllFinite(destination);
        }

        public void Dispose()
        {
        }

        private static bool AllFinite(ReadOnlySpan<float> values)
        {
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var width = Vector<float>.Count;
                for (; i + width <= values.Length; i += width)
                {
                    var v = new Vector<float>(values.Slice(i, width));

                    // x - x is 0 for finite x and NaN for NaN or ±infinity.
                    if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                    {
                        return false;
                    }
                }
            }

            for (; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

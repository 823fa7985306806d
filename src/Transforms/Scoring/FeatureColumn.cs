using System.Numerics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// Checks a features column against what a network expects (a vector of <see cref="float"/> of a
/// given length) and copies its values row by row into a contiguous batch buffer, rejecting NaN
/// and infinite values with a message that names the column and the row.
/// </summary>
public sealed class FeatureColumn
{
    private FeatureColumn(DataViewSchema.Column column, int length)
    {
        Column = column;
        Length = length;
    }

    /// <summary>The column.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>Number of values per row.</summary>
    public int Length { get; }

    /// <summary>Finds and checks the features column.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="name">The column name.</param>
    /// <param name="length">Values per row the network expects.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a float vector, or of another known size.</exception>
    public static FeatureColumn Bind(DataViewSchema schema, string name, int length)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Features column '{name}' was not found in the input. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType { ItemType: var item } vector || item != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, $"Features column '{name}' must be a vector of Single, but is {column.Type}.");
        }

        if (vector.IsKnownSize && vector.Size != length)
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, $"Features column '{name}' has {vector.Size} values per row, but the network expects {length}.");
        }

        return new FeatureColumn(column, length);
    }

    /// <summary>A reader that copies the current row's features of <paramref name="row"/> into a buffer.</summary>
    /// <param name="row">A row or cursor with this column active.</param>
    public Reader CreateReader(DataViewRow row) => new(this, row.GetGetter<VBuffer<float>>(Column));

    /// <summary>Copies one row's features into a buffer, densifying and checking them.</summary>
    public sealed class Reader
    {
        private readonly FeatureColumn _owner;
        private readonly ValueGetter<VBuffer<float>> _getter;
        private VBuffer<float> _value;

        internal Reader(FeatureColumn owner, ValueGetter<VBuffer<float>> getter)
        {
            _owner = owner;
            _getter = getter;
        }

        /// <summary>Copies the current row into <paramref name="destination"/> (length <see cref="Length"/>).</summary>
        /// <param name="destination">Where the row's values go.</param>
        /// <param name="position">Row position, for error messages.</param>
        /// <exception cref="InvalidOperationException">Wrong length, NaN or infinity.</exception>
        public void Read(Span<float> destination, long position)
        {
            _getter(ref _value);
            if (_value.Length != _owner.Length)
            {
                throw new InvalidOperationException($"Features column '{_owner.Column.Name}' has {_value.Length} values in row {position}, but the network expects {_owner.Length}.");
            }

            _value.CopyTo(destination);
            if (!AllFinite(destination))
            {
                throw new InvalidOperationException($"Features column '{_owner.Column.Name}' has a NaN or infinite value in row {position}. Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues.");
            }
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

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// Holds the values of one input column for the rows of a batch, so a cursor can read a batch
/// ahead, score it at once, and still serve every passed-through column row by row.
/// </summary>
internal abstract class ColumnCache
{
    /// <summary>Creates a cache of <paramref name="capacity"/> rows for a column of <paramref name="row"/>.</summary>
    public static ColumnCache Create(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var type = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorCache<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueCache<>).MakeGenericType(raw);
        return (ColumnCache)Activator.CreateInstance(type, row, column, capacity)!;
    }

    /// <summary>Reads the current row's value into slot <paramref name="slot"/>.</summary>
    public abstract void Store(int slot);

    /// <summary>A getter returning the value in the slot that <paramref name="current"/> names.</summary>
    public abstract Delegate MakeGetter(Func<int> current);

    private sealed class ValueCache<T> : ColumnCache
    {
        private readonly ValueGetter<T> _getter;
        private readonly T[] _values;

        public ValueCache(DataViewRow row, DataViewSchema.Column column, int capacity)
        {
            _getter = row.GetGetter<T>(column);
            _values = new T[capacity];
        }

        public override void Store(int slot) => _getter(ref _values[slot]);

        public override Delegate MakeGetter(Func<int> current) => (ValueGetter<T>)((ref T dst) => dst = _values[current()]);
    }

    private sealed class VectorCache<T> : ColumnCache
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private readonly VBuffer<T>[] _values;

        public VectorCache(DataViewRow row, DataViewSchema.Column column, int capacity)
        {
            _getter = row.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        // Each slot keeps its own buffers, which the getter fills (and reuses from batch to batch).
        public override void Store(int slot) => _getter(ref _values[slot]);

        public override Delegate MakeGetter(Func<int> current) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> dst) => _values[current()].CopyTo(ref dst));
    }
}

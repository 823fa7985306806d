using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Heads;

/// <summary>Reads one output column's value from a row's post-processed network outputs.</summary>
/// <typeparam name="T">The column's raw type, e.g. <see cref="float"/>, <see cref="uint"/> for keys, or <see cref="VBuffer{T}"/>.</typeparam>
/// <param name="outputs">The row's outputs after the head's post-processing (<see cref="OutputHead.OutputSize"/> values).</param>
/// <param name="value">Receives the value; buffers may be reused.</param>
public delegate void OutputValueGetter<T>(ReadOnlySpan<float> outputs, ref T value);

/// <summary>
/// One column an <see cref="OutputHead"/> appends: its name, type and annotations, and how its value
/// is read from a row's outputs. Vector columns of unknown size serve variable-length outputs.
/// </summary>
public abstract class OutputColumn
{
    private protected OutputColumn(string name, DataViewType type, DataViewSchema.Annotations? annotations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Annotations = annotations ?? DataViewSchema.Annotations.Empty;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The column type.</summary>
    public DataViewType Type { get; }

    /// <summary>The column's annotations (score kinds, slot names, key values).</summary>
    public DataViewSchema.Annotations Annotations { get; }

    /// <summary>Creates a column.</summary>
    /// <typeparam name="T">The raw type of <paramref name="type"/>.</typeparam>
    /// <param name="name">The column name.</param>
    /// <param name="type">The column type; its raw type must be <typeparamref name="T"/>.</param>
    /// <param name="annotations">Annotations, or <see langword="null"/> for none.</param>
    /// <param name="read">Reads the value from a row's outputs.</param>
    public static OutputColumn Create<T>(string name, DataViewType type, DataViewSchema.Annotations? annotations, OutputValueGetter<T> read)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(read);
        if (type.RawType != typeof(T))
        {
            throw new ArgumentException($"Output column '{name}' of type {type} holds {type.RawType.Name}, not {typeof(T).Name}.", nameof(type));
        }

        return new Typed<T>(name, type, annotations, read);
    }

    /// <summary>A getter reading the value from the outputs <paramref name="outputs"/> returns for the current row.</summary>
    internal abstract Delegate MakeGetter(Func<ReadOnlyMemory<float>> outputs);

    private sealed class Typed<T>(string name, DataViewType type, DataViewSchema.Annotations? annotations, OutputValueGetter<T> read)
        : OutputColumn(name, type, annotations)
    {
        internal override Delegate MakeGetter(Func<ReadOnlyMemory<float>> outputs)
            => (ValueGetter<T>)((ref T value) => read(outputs().Span, ref value));
    }
}

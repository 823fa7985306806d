using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using DeepLearning.Transforms.MlNet;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// The <c>KeyValues</c> annotation of a training label (the class names behind key values), kept
/// so that <c>PredictedLabel</c> carries it and <c>MapKeyToValue</c> works after save and load.
/// Supports text and numeric/boolean values, which is what <c>MapValueToKey</c> produces.
/// </summary>
[JsonConverter(typeof(KeyValuesAnnotationJsonConverter))]
public sealed class KeyValuesAnnotation
{
    private static readonly DataViewType[] Supported =
    [
        TextDataViewType.Instance, NumberDataViewType.Single, NumberDataViewType.Double, NumberDataViewType.Int32,
        NumberDataViewType.Int64, NumberDataViewType.UInt32, NumberDataViewType.UInt64, BooleanDataViewType.Instance,
    ];

    private KeyValuesAnnotation(PrimitiveDataViewType itemType, IReadOnlyList<string> values)
    {
        ItemType = itemType;
        Values = values;
    }

    /// <summary>Type of the values (e.g. text for string labels).</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The values, in key order, as invariant-culture text.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Reads the <c>KeyValues</c> annotation of a key column, if it has one of a supported type.</summary>
    /// <param name="column">A key-typed column.</param>
    /// <returns>The values, or <see langword="null"/> when the column has none.</returns>
    /// <exception cref="NotSupportedException">The key values are of a type this library cannot save.</exception>
    public static KeyValuesAnnotation? TryRead(DataViewSchema.Column column)
    {
        var kind = MlNetEnvironment.AnnotationKindNames.KeyValues;
        if (column.Annotations.Schema.GetColumnOrNull(kind) is not { } annotation
            || annotation.Type is not VectorDataViewType { ItemType: PrimitiveDataViewType itemType })
        {
            return null;
        }

        var rawType = itemType.RawType;
        if (!Supported.Any(t => t.RawType == rawType))
        {
            throw new NotSupportedException($"Column '{column.Name}' has key values of type {itemType}; supported are text, numbers and booleans.");
        }

        var read = typeof(KeyValuesAnnotation).GetMethod(nameof(ReadValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(rawType);
        var values = (List<string>)read.Invoke(null, [column])!;
        return new KeyValuesAnnotation(itemType, values);
    }

    /// <summary>Rebuilds the annotation from saved text.</summary>
    /// <param name="typeName">Raw type name as written by <see cref="TypeName"/>.</param>
    /// <param name="values">The values as invariant text.</param>
    public static KeyValuesAnnotation FromText(string typeName, IReadOnlyList<string> values)
    {
        var type = Supported.FirstOrDefault(t => t.RawType.Name == typeName)
            ?? throw new FormatException($"Unknown key value type '{typeName}' in the saved model.");
        return new KeyValuesAnnotation((PrimitiveDataViewType)type, values);
    }

    /// <summary>Name of the raw type of the values, for saving.</summary>
    public string TypeName => ItemType.RawType.Name;

    /// <summary>The values as slot names (text), for the <c>SlotNames</c> annotation of a score vector.</summary>
    public VBuffer<ReadOnlyMemory<char>> AsSlotNames()
        => new(Values.Count, Values.Select(v => v.AsMemory()).ToArray());

    /// <summary>Adds this as the <c>KeyValues</c> annotation to <paramref name="builder"/>.</summary>
    /// <param name="builder">Annotations of a key column.</param>
    public void AddTo(DataViewSchema.Annotations.Builder builder)
    {
        var add = typeof(KeyValuesAnnotation).GetMethod(nameof(AddTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(ItemType.RawType);
        add.Invoke(this, [builder]);
    }

    private void AddTyped<T>(DataViewSchema.Annotations.Builder builder)
    {
        var values = Values.Select(Parse<T>).ToArray();
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> dst) => new VBuffer<T>(values.Length, values).CopyTo(ref dst);
        builder.Add(MlNetEnvironment.AnnotationKindNames.KeyValues, new VectorDataViewType(ItemType, values.Length), getter);
    }

    private static List<string> ReadValues<T>(DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        column.Annotations.GetValue(MlNetEnvironment.AnnotationKindNames.KeyValues, ref buffer);
        var result = new List<string>(buffer.Length);
        foreach (var value in buffer.DenseValues())
        {
            result.Add(Format(value));
        }

        return result;
    }

    /// <summary>A value as invariant-culture text, the way key values are kept (round-trip format for floating point).</summary>
    /// <typeparam name="T">The raw type.</typeparam>
    /// <param name="value">The value.</param>
    internal static string Format<T>(T value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };

    private static T Parse<T>(string text)
    {
        object value = typeof(T) switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => text.AsMemory(),
            var t when t == typeof(float) => float.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(double) => double.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(int) => int.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(long) => long.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(uint) => uint.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(ulong) => ulong.Parse(text, CultureInfo.InvariantCulture),
            var t when t == typeof(bool) => bool.Parse(text),
            _ => throw new NotSupportedException($"Key values of type {typeof(T).Name} are not supported."),
        };
        return (T)value;
    }
}

/// <summary>Writes a <see cref="KeyValuesAnnotation"/> as <c>{"type": "String", "values": [...]}</c>.</summary>
internal sealed class KeyValuesAnnotationJsonConverter : JsonConverter<KeyValuesAnnotation>
{
    public override KeyValuesAnnotation? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var saved = JsonSerializer.Deserialize<Saved>(ref reader, options) ?? throw new JsonException("The key values are empty.");
        return KeyValuesAnnotation.FromText(saved.Type ?? string.Empty, saved.Values ?? []);
    }

    public override void Write(Utf8JsonWriter writer, KeyValuesAnnotation value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, new Saved(value.TypeName, [.. value.Values]), options);

    private sealed record Saved(
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("values")] string[]? Values);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DeepLearning.Transforms.Serialization;

/// <summary>
/// Serializes a property of an open base type (a spec inside a spec) as <see cref="NamedTypes"/> does
/// at the top level: the concrete type's registered name in <c>type</c>, then its properties.
/// </summary>
/// <typeparam name="TBase">The property's base type.</typeparam>
internal sealed class NamedTypeJsonConverter<TBase> : JsonConverter<TBase>
    where TBase : class
{
    /// <inheritdoc />
    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => JsonNode.Parse(ref reader) is { } node ? NamedTypes.Read<TBase>(node, typeof(TBase).Name) : null;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options)
        => NamedTypes.Write(value).WriteTo(writer, options);
}

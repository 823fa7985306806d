using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks;

/// <summary>
/// A small serializable description of a network (architecture plus options) from which the
/// network is rebuilt when a model is loaded; the weights are stored separately as a state_dict.
/// </summary>
/// <remarks>
/// A concrete spec carries a <see cref="RegisteredNameAttribute"/>; its name and public properties
/// are written to the model manifest. A new architecture is a new spec class, found by its name.
/// </remarks>
public abstract record NetworkSpec
{
    /// <summary>Shape of one input row, e.g. <c>[784]</c> or <c>[1, 28, 28]</c>.</summary>
    [JsonIgnore]
    public abstract IReadOnlyList<long> InputShape { get; }

    /// <summary>Number of values the network outputs per row.</summary>
    public abstract int OutputSize { get; init; }

    /// <summary>Number of input values per row (the product of <see cref="InputShape"/>).</summary>
    [JsonIgnore]
    public long InputLength => InputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Throws an exception naming the first invalid option and its value.</summary>
    public abstract void Validate();

    /// <summary>Builds a freshly initialised network on the CPU.</summary>
    public abstract nn.Module<Tensor, Tensor> Build();

    /// <summary>Serializes the spec to JSON, with its registered name as <c>type</c>.</summary>
    public string ToJson() => NamedTypes.Write<NetworkSpec>(this).ToJsonString(NamedTypes.Json);

    /// <summary>Reads a spec written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a known, valid network spec.</exception>
    public static NetworkSpec FromJson(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The network spec is not valid JSON: {e.Message}", e);
        }

        var spec = NamedTypes.Read<NetworkSpec>(node, "network spec");
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The network spec is not valid: {e.Message}", e);
        }

        return spec;
    }
}

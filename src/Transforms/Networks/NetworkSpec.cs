using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks;

/// <summary>
/// A small serializable description of a network (architecture plus options) from which the
/// network is rebuilt when a model is loaded; the weights are stored separately as a state_dict.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "architecture")]
[JsonDerivedType(typeof(DeepNeuralNetworkSpec), DeepNeuralNetworkSpec.ArchitectureName)]
public abstract record NetworkSpec
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

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

    /// <summary>Serializes the spec to JSON (with an <c>architecture</c> discriminator).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a spec written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a known network spec.</exception>
    public static NetworkSpec FromJson(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<NetworkSpec>(json, JsonOptions) ?? throw new FormatException("The network spec is empty.");
            spec.Validate();
            return spec;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new FormatException($"The network spec is not valid: {e.Message}", e);
        }
    }
}

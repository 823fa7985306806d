using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Weights;

/// <summary>
/// Reads a TensorFlow.js weight manifest (<c>*weights_manifest.json</c>, a list of groups, each with
/// its shard files and its weights in order) and the binary shards beside it. Float32 and int32
/// weights are read as they are; quantised weights (uint8 or uint16 with <c>scale</c> and <c>min</c>)
/// are dequantised as <c>q · scale + min</c>, float16 ones widened. Tensors keep TensorFlow's names and
/// layouts (HWIO kernels): rename and convert them with <see cref="WeightLoadOptions"/>.
/// </summary>
internal static class TfjsWeights
{
    /// <summary>Reads every weight of the manifest at <paramref name="manifestPath"/>.</summary>
    /// <exception cref="InvalidDataException">The manifest or a shard is malformed, missing or too short (the message names it).</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string manifestPath)
    {
        Group[] groups;
        try
        {
            groups = JsonSerializer.Deserialize<Group[]>(File.ReadAllBytes(manifestPath), Options) ?? throw new InvalidDataException("it is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"TF.js manifest '{manifestPath}' is not a list of weight groups: {e.Message}", e);
        }

        var directory = Path.GetDirectoryName(manifestPath)!;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var bytes = ReadShards(directory, group.Paths ?? [], manifestPath);
            var offset = 0L;
            foreach (var weight in group.Weights ?? [])
            {
                var tensor = Decode(weight, bytes, ref offset, manifestPath);
                result[weight.Name ?? throw new InvalidDataException($"TF.js manifest '{manifestPath}' has a weight without a name.")] = tensor;
            }
        }

        return result;
    }

    private static byte[] ReadShards(string directory, IReadOnlyList<string> paths, string manifestPath)
    {
        using var all = new MemoryStream();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(Path.Combine(directory, path));
            if (!File.Exists(full))
            {
                throw new InvalidDataException($"TF.js manifest '{manifestPath}' names shard '{full}', which does not exist.");
            }

            using var stream = File.OpenRead(full);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    private static Tensor Decode(Weight weight, byte[] bytes, ref long offset, string manifestPath)
    {
        var shape = weight.Shape ?? [];
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var stored = weight.Quantization?.Dtype ?? weight.Dtype;
        var width = stored switch
        {
            "float32" or "int32" => 4,
            "uint16" or "float16" => 2,
            "uint8" => 1,
            _ => throw new InvalidDataException($"Weight '{weight.Name}' of TF.js manifest '{manifestPath}' is stored as '{stored}': read are float32, int32, and uint8/uint16/float16 quantisation."),
        };
        var length = count * width;
        if (offset + length > bytes.Length)
        {
            throw new InvalidDataException($"The shards of TF.js manifest '{manifestPath}' end before weight '{weight.Name}' ({length} bytes at offset {offset}, {bytes.Length} in all): a shard is missing or truncated.");
        }

        var span = bytes.AsSpan(checked((int)offset), checked((int)length));
        offset += length;
        var values = new float[count];
        switch (stored)
        {
            case "float32":
                for (var i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]);
                }

                break;
            case "int32":
                var integers = new int[count];
                for (var i = 0; i < count; i++)
                {
                    integers[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(4 * i)..]);
                }

                return tensor(integers).reshape(shape);
            case "float16":
                for (var i = 0; i < count; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(span[(2 * i)..]);
                }

                break;
            default:
                var (scale, min) = (weight.Quantization!.Scale, weight.Quantization.Min);
                for (var i = 0; i < count; i++)
                {
                    var q = stored == "uint8" ? span[i] : BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]);
                    values[i] = (float)((q * scale) + min);
                }

                break;
        }

        return tensor(values).reshape(shape);
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private sealed record Group([property: JsonPropertyName("paths")] string[]? Paths, [property: JsonPropertyName("weights")] Weight[]? Weights);

    private sealed record Weight(string? Name, long[]? Shape, string Dtype = "float32", Quantization? Quantization = null);

    private sealed record Quantization(string Dtype, double Scale, double Min);
}

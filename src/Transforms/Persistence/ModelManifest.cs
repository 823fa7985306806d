using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Serialization;

namespace DeepLearning.Transforms.Persistence;

/// <summary>
/// The <c>manifest.json</c> of a saved network transformer: the format version, the network spec,
/// the input adapter (with its normalisation), the output head, the training history, and the
/// SHA-256 and size of every binary entry saved beside it (the weights, later galleries or anchors).
/// Every object is written by its registered name, so the manifest never stores an ordinal.
/// </summary>
internal sealed record ModelManifest(
    int Format,
    NetworkSpec Network,
    InputAdapter Input,
    OutputHead Head,
    TrainingHistory? History,
    IReadOnlyDictionary<string, EntryDigest> Entries)
{
    /// <summary>The format this version writes and reads.</summary>
    public const int CurrentFormat = 2;

    /// <summary>The manifest as UTF-8 JSON.</summary>
    public byte[] ToUtf8()
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["writer"] = $"{typeof(ModelManifest).Assembly.GetName().Name} {typeof(ModelManifest).Assembly.GetName().Version}",
            ["network"] = NamedTypes.Write(Network),
            ["input"] = NamedTypes.Write(Input),
            ["head"] = NamedTypes.Write(Head),
            ["history"] = History is null ? null : JsonSerializer.SerializeToNode(SavedHistory.From(History), NamedTypes.Json),
            ["entries"] = JsonSerializer.SerializeToNode(Entries, NamedTypes.Json),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions(NamedTypes.Json) { WriteIndented = true }));
    }

    /// <summary>Parses a manifest; every object is validated.</summary>
    /// <exception cref="FormatException">The manifest is not valid; the message says which part.</exception>
    public static ModelManifest Parse(byte[] utf8)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(utf8) as JsonObject ?? throw new FormatException("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"it is not valid JSON ({e.Message})", e);
        }

        var format = root["format"]?.GetValueKind() == JsonValueKind.Number ? root["format"]!.GetValue<int>() : -1;
        if (format != CurrentFormat)
        {
            throw new FormatException(format < CurrentFormat
                ? $"it has format {format}, which this version (format {CurrentFormat}) does not read"
                : $"it has format {format}, newer than this version reads (format {CurrentFormat}): update DeepLearning.Transforms");
        }

        var network = NamedTypes.Read<NetworkSpec>(root["network"], "network spec");
        var input = NamedTypes.Read<InputAdapter>(root["input"], "input adapter");
        var head = NamedTypes.Read<OutputHead>(root["head"], "output head");
        try
        {
            network.Validate();
            input.Validate();
            head.Validate();
            var history = root["history"] is { } h ? h.Deserialize<SavedHistory>(NamedTypes.Json)?.ToHistory() : null;
            var entries = root["entries"]?.Deserialize<Dictionary<string, EntryDigest>>(NamedTypes.Json) ?? throw new FormatException("it lists no entries");
            return new ModelManifest(format, network, input, head, history, entries);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static EntryDigest Digest(ReadOnlySpan<byte> bytes) => new(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);

    private sealed record SavedHistory(int BestEpoch, bool StoppedEarly, EpochMetrics[] Epochs, string[]? Warnings, JsonObject? Recipe)
    {
        public static SavedHistory From(TrainingHistory history) => new(history.BestEpoch, history.StoppedEarly, [.. history], [.. history.Warnings], history.Recipe?.DeepClone().AsObject());

        public TrainingHistory ToHistory() => new(Epochs ?? [], BestEpoch, StoppedEarly, Warnings, Recipe);
    }
}

/// <summary>The SHA-256 (lower-case hex) and length of a binary entry.</summary>
/// <param name="Sha256">The SHA-256 of the entry's bytes.</param>
/// <param name="Bytes">The entry's length in bytes.</param>
internal sealed record EntryDigest(string Sha256, long Bytes);

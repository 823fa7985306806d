using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Persistence;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: DirectLoadableClass(
    typeof(NetworkPredictionTransformer),
    typeof(NetworkTransformerPersistence),
    "Deep learning network transformer",
    NetworkTransformerPersistence.LoaderSignature)]

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// Writes a <see cref="NetworkPredictionTransformer"/> into an ML.NET model zip and reads it back.
/// The transformer's folder holds <c>Model.key</c> (ML.NET's header, then a stamp: the SHA-256 of
/// <see cref="ManifestEntry"/> and a SHA-256 of the stamp itself), <see cref="ManifestEntry"/>
/// (<see cref="ModelManifest"/>: what to rebuild, and the SHA-256 of every binary entry) and the
/// binary entries (<see cref="WeightsEntry"/>: the network's state_dict). Loading verifies every
/// hash before it uses a byte, and every error names the entry and what is wrong with it.
/// </summary>
internal static class NetworkTransformerPersistence
{
    // At most 24 ASCII characters (the model header reserves 24 bytes).
    public const string LoaderSignature = "DeepLearningNetworkXfm";
    public const string ManifestEntry = "manifest.json";
    public const string WeightsEntry = "weights.bin";

    // 1.0001: the first format (positional binary fields). 2.0001: manifest + hashed entries.
    private const uint FirstFormat = 0x00010001;
    private const uint FormatVersion = 0x00020001;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "DLNETXFM",
        verWrittenCur: FormatVersion,
        verReadableCur: FormatVersion,
        verWeCanReadBack: FirstFormat,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(NetworkTransformerPersistence).Assembly.FullName);

    public static void Save(NetworkPredictionTransformer transformer, ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        // The state_dict is serialised once into memory, hashed, and written from that buffer.
        var weights = ModelEntries.StateDict(transformer.Network);
        var manifest = new ModelManifest(
            ModelManifest.CurrentFormat,
            transformer.Spec,
            transformer.Input,
            transformer.Head,
            transformer.History,
            new Dictionary<string, EntryDigest> { [WeightsEntry] = ModelManifest.Digest(weights) }).ToUtf8();
        ModelEntries.WriteManifest(ctx, ManifestEntry, manifest);
        ctx.SaveBinaryStream(WeightsEntry, w => w.Write(weights));
    }

    /// <summary>Called by ML.NET's component catalog (directly, see <see cref="DirectLoadableClassAttribute"/>) when a saved model is loaded.</summary>
    /// <exception cref="CorruptModelException">The saved transformer is corrupt, was modified, or has a format this version does not read; the message names the entry.</exception>
    public static NetworkPredictionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        var written = ctx.Header.ModelVerWritten;
        if (written != FormatVersion)
        {
            throw Corrupt(ModelEntries.KeyEntry, written < FormatVersion
                ? $"it was saved in format {Version(written)} by an earlier version of DeepLearning.Transforms; this version reads format {Version(FormatVersion)}. Train and save the model again"
                : $"it was saved in format {Version(written)} by a newer version of DeepLearning.Transforms; this version reads format {Version(FormatVersion)}. Update the package");
        }

        ctx.CheckAtModel(GetVersionInfo());
        var manifestBytes = ModelEntries.ReadManifest(ctx, ManifestEntry);
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Parse(manifestBytes);
        }
        catch (FormatException e)
        {
            throw Corrupt(ManifestEntry, e.Message, e);
        }

        var entries = new Dictionary<string, byte[]>();
        foreach (var (name, digest) in manifest.Entries)
        {
            entries[name] = ModelEntries.ReadVerified(ctx, name, digest);
        }

        if (!entries.TryGetValue(WeightsEntry, out var weights))
        {
            throw Corrupt(ManifestEntry, $"it lists no '{WeightsEntry}' entry with the network's weights");
        }

        var network = manifest.Network.Build();
        try
        {
            using (var reader = new BinaryReader(new MemoryStream(weights)))
            {
                network.load(reader, strict: true);
            }

            return new NetworkPredictionTransformer(new NetworkModel(manifest.Input, manifest.Network, network, manifest.Head), manifest.History);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            network.Dispose();
            throw Corrupt(WeightsEntry, $"it does not fit the network described by the manifest ({e.Message})", e);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static string Version(uint format) => $"{format >> 16}.{format & 0xFFFF:X4}";

    private static CorruptModelException Corrupt(string entry, string problem, Exception? inner = null) => ModelEntries.Corrupt(entry, problem, inner);
}

using System.Text.Json;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Detection.Faces;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Persistence;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: DirectLoadableClass(
    typeof(FaceDetectionTransformer),
    typeof(FaceDetectionPersistence),
    "Deep learning face detection transformer",
    FaceDetectionPersistence.LoaderSignature)]

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// Writes a <see cref="FaceDetectionTransformer"/> into an ML.NET model zip and reads it back: <c>Model.key</c>
/// (ML.NET's header and the stamp of the manifest's SHA-256), <see cref="ManifestEntry"/> (the image column, the
/// detector's options and the SHA-256 of the weights) and <see cref="WeightsEntry"/> (the network's state_dict),
/// through <see cref="ModelEntries"/>, so the saved model no longer needs face-api's files.
/// </summary>
internal static class FaceDetectionPersistence
{
    // At most 24 ASCII characters (the model header reserves 24 bytes).
    public const string LoaderSignature = "DeepLearningFaceDetXfm";
    public const string ManifestEntry = "manifest.json";
    public const string WeightsEntry = "weights.bin";
    private const uint FormatVersion = 0x00010001;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "DLFACEXF",
        verWrittenCur: FormatVersion,
        verReadableCur: FormatVersion,
        verWeCanReadBack: FormatVersion,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FaceDetectionPersistence).Assembly.FullName);

    public static void Save(FaceDetectionTransformer transformer, ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        var weights = ModelEntries.StateDict(transformer.Detector.Network);
        var manifest = new SavedFaceDetector(transformer.InputColumnName, transformer.Detector.Options, ModelManifest.Digest(weights));
        ModelEntries.WriteManifest(ctx, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest));
        ctx.SaveBinaryStream(WeightsEntry, w => w.Write(weights));
    }

    /// <summary>Called by ML.NET's component catalog when a saved model is loaded.</summary>
    /// <exception cref="CorruptModelException">The saved transformer is corrupt, was modified, or has another format; the message names the entry.</exception>
    public static FaceDetectionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Header.ModelVerWritten != FormatVersion)
        {
            throw ModelEntries.Corrupt(ModelEntries.KeyEntry, $"it was saved in format {ctx.Header.ModelVerWritten:X8}; this version reads {FormatVersion:X8}");
        }

        ctx.CheckAtModel(GetVersionInfo());
        var manifestBytes = ModelEntries.ReadManifest(ctx, ManifestEntry);
        SavedFaceDetector manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SavedFaceDetector>(manifestBytes) ?? throw new JsonException("it is null");
            manifest.Options.Validate();
            OptionCheck(manifest);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw ModelEntries.Corrupt(ManifestEntry, e.Message, e);
        }

        var weights = ModelEntries.ReadVerified(ctx, WeightsEntry, manifest.Weights);
        var detector = FaceDetector.Create(manifest.Options);
        try
        {
            using (var reader = new BinaryReader(new MemoryStream(weights)))
            {
                detector.Network.load(reader, strict: true);
            }

            return new FaceDetectionTransformer(detector, manifest.InputColumnName);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            detector.Dispose();
            throw ModelEntries.Corrupt(WeightsEntry, $"it does not fit the TinyFaceDetector at input size {manifest.Options.InputSize} ({e.Message})", e);
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    private static void OptionCheck(SavedFaceDetector manifest)
    {
        Validation.OptionCheck.RequireName(manifest.InputColumnName, nameof(manifest.InputColumnName));
        ArgumentNullException.ThrowIfNull(manifest.Weights, nameof(manifest.Weights));
    }

    /// <summary>The manifest: the image column, the options and the weights' digest.</summary>
    private sealed record SavedFaceDetector(string InputColumnName, FaceDetectorOptions Options, EntryDigest Weights);
}

using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using PredictionKind = DeepLearning.Transforms.Scoring.PredictionKind;

[assembly: LoadableClass(
    typeof(NetworkPredictionTransformer),
    typeof(NetworkTransformerPersistence),
    null,
    typeof(SignatureLoadModel),
    "Deep learning network transformer",
    NetworkTransformerPersistence.LoaderSignature)]

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// Writes a <see cref="NetworkPredictionTransformer"/> into an ML.NET model zip and reads it back.
/// Layout of the transformer's entry: the version info, then kind, features column, network spec
/// (JSON), label key values and training history; the weights (TorchSharp state_dict) go to their
/// own entry <see cref="WeightsEntry"/>.
/// </summary>
internal static class NetworkTransformerPersistence
{
    // At most 24 ASCII characters (the model header reserves 24 bytes).
    public const string LoaderSignature = "DeepLearningNetworkXfm";
    public const string WeightsEntry = "Weights.bin";

    // Format 1.0001: the first saved format.
    private const uint FormatVersion = 0x00010001;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "DLNETXFM",
        verWrittenCur: FormatVersion,
        verReadableCur: FormatVersion,
        verWeCanReadBack: FormatVersion,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(NetworkTransformerPersistence).Assembly.FullName);

    public static void Save(NetworkPredictionTransformer transformer, ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        var w = ctx.Writer;
        w.Write((int)transformer.Kind);
        w.Write(transformer.FeatureColumnName);
        w.Write(transformer.Spec.ToJson());
        var keys = transformer.LabelKeyValues;
        w.Write(keys is not null);
        if (keys is not null)
        {
            w.Write(keys.TypeName);
            w.Write(keys.Values.Count);
            foreach (var value in keys.Values)
            {
                w.Write(value);
            }
        }

        w.Write(transformer.History is not null);
        transformer.History?.Write(w);
        ctx.SaveBinaryStream(WeightsEntry, writer => transformer.Network.save(writer));
    }

    /// <summary>Called by ML.NET's component catalog when a saved model is loaded.</summary>
    public static NetworkPredictionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(GetVersionInfo());
        try
        {
            var r = ctx.Reader;
            var kind = (PredictionKind)r.ReadInt32();
            if (!Enum.IsDefined(kind))
            {
                throw new InvalidDataException($"Unknown prediction kind {(int)kind}.");
            }

            var features = r.ReadString();
            var spec = NetworkSpec.FromJson(r.ReadString());
            KeyValuesAnnotation? keys = null;
            if (r.ReadBoolean())
            {
                var typeName = r.ReadString();
                var count = r.ReadInt32();
                if (count < 0 || count > 10_000_000)
                {
                    throw new InvalidDataException($"The saved label claims {count} key values.");
                }

                var values = new string[count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = r.ReadString();
                }

                keys = KeyValuesAnnotation.FromText(typeName, values);
            }

            var history = r.ReadBoolean() ? TrainingHistory.Read(r) : null;
            var network = spec.Build();
            try
            {
                if (!ctx.TryLoadBinaryStream(WeightsEntry, reader => network.load(reader, strict: true)))
                {
                    throw new InvalidDataException($"The saved model has no '{WeightsEntry}' entry with the network's weights.");
                }

                return new NetworkPredictionTransformer(new NetworkModel(spec, network), kind, features, keys, history);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"The saved deep learning transformer is corrupt or was written by an incompatible version: {e.Message}", e);
        }
    }
}

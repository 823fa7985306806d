using System.Security.Cryptography;
using System.Text;
using DeepLearning.Transforms.Persistence;
using Microsoft.ML;

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// The hashed entries of a saved transformer's folder in an ML.NET model zip: a JSON manifest whose SHA-256
/// is stamped into <c>Model.key</c> (after ML.NET's header: the stamp's length, then a magic, the hash, and a
/// SHA-256 of both), and binary entries whose SHA-256 and size the manifest lists. Reading verifies every
/// hash before a byte is used; every error is a <see cref="CorruptModelException"/> naming the entry.
/// </summary>
internal static class ModelEntries
{
    /// <summary>The entry holding ML.NET's header and the stamp.</summary>
    public const string KeyEntry = "Model.key";

    private static readonly byte[] StampMagic = "DLMANIFEST"u8.ToArray();

    /// <summary>Writes the stamp of <paramref name="manifest"/> to <c>Model.key</c> and the manifest to <paramref name="manifestEntry"/>.</summary>
    public static void WriteManifest(ModelSaveContext ctx, string manifestEntry, byte[] manifest)
    {
        byte[] body = [.. StampMagic, .. SHA256.HashData(manifest)];
        byte[] stamp = [.. body, .. SHA256.HashData(body)];
        ctx.Writer.Write(stamp.Length);
        ctx.Writer.Write(stamp);
        ctx.SaveBinaryStream(manifestEntry, w => w.Write(manifest));
    }

    /// <summary>A network's state_dict in TorchSharp's format, as the weights entry holds it.</summary>
    public static byte[] StateDict(TorchSharp.torch.nn.Module module)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            module.save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the stamp from <c>Model.key</c> and the manifest entry, and checks the manifest against the stamp.</summary>
    /// <exception cref="CorruptModelException">The stamp is damaged, the entry is missing, or its hash differs.</exception>
    public static byte[] ReadManifest(ModelLoadContext ctx, string manifestEntry)
    {
        byte[] manifestHash;
        try
        {
            var length = ctx.Reader.ReadInt32();
            var stamp = length is > 0 and <= 1024 ? ctx.Reader.ReadBytes(length) : [];
            manifestHash = Unstamp(stamp) ?? throw Corrupt(KeyEntry, "its stamp of the manifest's SHA-256 is damaged");
        }
        catch (EndOfStreamException)
        {
            throw Corrupt(KeyEntry, "it ends before the stamp of the manifest's SHA-256");
        }

        var manifest = ReadEntry(ctx, manifestEntry);
        if (!SHA256.HashData(manifest).AsSpan().SequenceEqual(manifestHash))
        {
            throw Corrupt(manifestEntry, "its SHA-256 differs from the one stamped in Model.key: the file was modified or damaged");
        }

        return manifest;
    }

    /// <summary>Reads a binary entry and checks its SHA-256 and size against the manifest's <paramref name="digest"/>.</summary>
    /// <exception cref="CorruptModelException">The entry is missing, unreadable or differs from the digest.</exception>
    public static byte[] ReadVerified(ModelLoadContext ctx, string name, EntryDigest digest)
    {
        var bytes = ReadEntry(ctx, name);
        if (ModelManifest.Digest(bytes) != digest)
        {
            throw Corrupt(name, $"its SHA-256 or length differs from the manifest's ({digest.Bytes} bytes, {digest.Sha256[..Math.Min(12, digest.Sha256.Length)]}…): the file was modified or damaged");
        }

        return bytes;
    }

    /// <summary>The error for an invalid entry, with the entry's name at the top level.</summary>
    public static CorruptModelException Corrupt(string entry, string problem, Exception? inner = null)
        => new($"The saved deep learning transformer cannot be loaded: entry '{entry}' is invalid: {problem}.", entry, inner);

    private static byte[] ReadEntry(ModelLoadContext ctx, string name)
    {
        byte[]? bytes = null;
        try
        {
            if (!ctx.TryLoadBinaryStream(name, r => bytes = ReadAll(r.BaseStream)))
            {
                throw Corrupt(name, "the entry is missing");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Corrupt(name, $"the entry cannot be read ({e.Message})", e);
        }

        return bytes!;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[]? Unstamp(byte[] stamp)
    {
        var bodyLength = StampMagic.Length + SHA256.HashSizeInBytes;
        if (stamp.Length != bodyLength + SHA256.HashSizeInBytes
            || !stamp.AsSpan(0, StampMagic.Length).SequenceEqual(StampMagic)
            || !SHA256.HashData(stamp.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(stamp.AsSpan(bodyLength)))
        {
            return null;
        }

        return stamp.AsSpan(StampMagic.Length, SHA256.HashSizeInBytes).ToArray();
    }
}

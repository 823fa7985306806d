using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Training checkpoints: a header (magic, <see cref="FormatVersion"/>, payload length, SHA-256 of the
/// payload) and a payload holding the completed epoch, the network's state_dict, the optimiser state,
/// the scheduler state, torch's global random-number state (dropout), the early-stopping state with
/// its best weights, and the history. Shuffles need no state: each epoch's order derives from the
/// seed and the epoch. Files are written to a temporary name and moved into place, so a crash never
/// leaves a partial checkpoint; loading verifies the hash before reading anything.
/// </summary>
internal static class Checkpoint
{
    /// <summary>Version of the format written; other versions are rejected with a clear error.</summary>
    public const int FormatVersion = 2;

    private const string Magic = "DeepLearning.TrainingCheckpoint";
    private const int HashBytes = 32;

    /// <summary>The file name of the checkpoint after <paramref name="epoch"/>.</summary>
    public static string FileName(int epoch) => $"checkpoint-epoch-{epoch:D4}.dlckpt";

    /// <summary>Writes the checkpoint after <paramref name="epoch"/> into <paramref name="directory"/> (created if missing).</summary>
    /// <returns>The file's path.</returns>
    public static string Write(string directory, int epoch, TrainingState state)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(epoch));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var header = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
                header.Write(Magic);
                header.Write(FormatVersion);
                var lengthPosition = file.Position;
                header.Write(0L);
                header.Write(new byte[HashBytes]);
                var payloadStart = file.Position;
                byte[] hash;
                using (var sha = SHA256.Create())
                {
                    using (var hashing = new CryptoStream(file, sha, CryptoStreamMode.Write, leaveOpen: true))
                    using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
                    {
                        WritePayload(writer, epoch, state);
                    }

                    hash = sha.Hash!;
                }

                var length = file.Position - payloadStart;
                file.Position = lengthPosition;
                header.Write(length);
                header.Write(hash);
                header.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Restores <paramref name="state"/> from a checkpoint file. Call outside any dispose scope.</summary>
    /// <returns>The completed epoch, and the epochs and steps per epoch of the run that wrote it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, has another format version, is corrupt, or does not fit this run (the message names the file).</exception>
    public static (int Epoch, int Epochs, long StepsPerEpoch) Read(string path, TrainingState state)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The checkpoint file '{path}' (option {nameof(TrainingOptions.ResumeFromCheckpoint)}) does not exist.", path);
        }

        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        var (version, length, expected) = ReadHeader(reader, path);
        if (version != FormatVersion)
        {
            throw Invalid(path, $"its format version is {version}, but this library reads version {FormatVersion}");
        }

        var payloadStart = file.Position;
        if (file.Length - payloadStart != length)
        {
            throw Invalid(path, "it is truncated or has extra bytes");
        }

        if (!SHA256.HashData(file).AsSpan().SequenceEqual(expected))
        {
            throw Invalid(path, "its SHA-256 does not match its contents (the file is corrupt)");
        }

        file.Position = payloadStart;
        try
        {
            return ReadPayload(reader, state);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or InvalidOperationException)
        {
            throw Invalid(path, $"it does not fit this run: {e.Message}", e);
        }
    }

    private static (int Version, long Length, byte[] Hash) ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or DecoderFallbackException)
        {
            magic = string.Empty;
        }

        if (magic != Magic)
        {
            throw Invalid(path, "it is not a training checkpoint");
        }

        try
        {
            var header = (reader.ReadInt32(), reader.ReadInt64(), reader.ReadBytes(HashBytes));
            return header.Item3.Length == HashBytes ? header : throw new EndOfStreamException();
        }
        catch (EndOfStreamException e)
        {
            throw Invalid(path, "it is truncated", e);
        }
    }

    private static void WritePayload(BinaryWriter writer, int epoch, TrainingState state)
    {
        writer.Write(epoch);
        writer.Write(state.Epochs);
        writer.Write(state.StepsPerEpoch);
        var entries = state.Network.state_dict();
        writer.Write(entries.Count);
        foreach (var (name, tensor) in entries)
        {
            writer.Write(name);
            tensor.Save(writer);
        }

        state.Optimizer.save_state_dict(writer);
        var scheduler = state.Scheduler.SaveState();
        writer.Write(scheduler.Length);
        foreach (var value in scheduler)
        {
            writer.Write(value);
        }

        using (var generator = torch.Generator.Default)
        using (var random = generator.get_state())
        {
            random.Save(writer);
        }

        state.EarlyStopping.Save(writer);
        new TrainingHistory(state.History, 0, false).Write(writer);
    }

    private static (int, int, long) ReadPayload(BinaryReader reader, TrainingState state)
    {
        var epoch = reader.ReadInt32();
        var epochs = reader.ReadInt32();
        var stepsPerEpoch = reader.ReadInt64();
        var entries = state.Network.state_dict();
        var count = reader.ReadInt32();
        if (count != entries.Count)
        {
            throw new InvalidDataException($"its network has {count} state entries, this network {entries.Count}");
        }

        using (torch.no_grad())
        {
            foreach (var (name, tensor) in entries)
            {
                var saved = reader.ReadString();
                if (saved != name)
                {
                    throw new InvalidDataException($"its network has the entry '{saved}' where this network has '{name}'");
                }

                try
                {
                    tensor.Load(reader);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"entry '{name}': {e.Message}", e);
                }
            }
        }

        state.Optimizer.load_state_dict(reader);
        var scheduler = new double[reader.ReadInt32()];
        for (var i = 0; i < scheduler.Length; i++)
        {
            scheduler[i] = reader.ReadDouble();
        }

        state.Scheduler.RestoreState(scheduler);
        using (var random = TensorExtensionMethods.Load(reader))
        using (var generator = torch.Generator.Default)
        {
            generator.set_state(random);
        }

        state.EarlyStopping.Load(reader);
        var history = TrainingHistory.Read(reader);
        state.History.Clear();
        state.History.AddRange(history);
        return (epoch, epochs, stepsPerEpoch);
    }

    private static InvalidDataException Invalid(string path, string reason, Exception? inner = null)
        => new($"Cannot resume from checkpoint '{path}': {reason}.", inner);
}

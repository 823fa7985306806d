using System.IO.Compression;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Persistence;
using Microsoft.ML;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Estimators;

/// <summary>A saved model whose entries were modified, removed or damaged is refused, naming the entry, and the file stays as it was.</summary>
public sealed class TamperedModelTests : TempDirectoryTest
{

    private string SaveModel(bool alone)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(60));
        var options = new DeepNeuralNetworkTrainer.Options { HiddenLayers = [8], Epochs = 1, BatchSize = 16, NumberOfThreads = 1 };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options));
        var model = pipeline.Fit(data);
        var path = Path.Combine(Dir, Guid.NewGuid() + ".zip");
        if (alone)
        {
            ml.Model.Save(model.LastTransformer, data.Schema, path);
        }
        else
        {
            ml.Model.Save(model, data.Schema, path);
        }

        return path;
    }

    public static TheoryData<string, bool> Entries() => new()
    {
        { "weights.bin", false },
        { "manifest.json", false },
        { "Model.key", false },
        { "weights.bin", true },
        { "manifest.json", true },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void OneChangedByteInAnEntryIsRefusedNamingIt(string entryName, bool alone)
    {
        var path = SaveModel(alone);
        var entry = OurEntry(path, entryName);

        // Change one byte in the middle of the entry's content (for Model.key: inside our stamp, after ML.NET's header).
        var bytes = ReadEntry(path, entry);
        var index = entryName == "Model.key" ? bytes.AsSpan().IndexOf("DLMANIFEST"u8) + 20 : bytes.Length / 2;
        Assert.True(index > 0);
        bytes[index] ^= 0x01;
        WriteEntry(path, entry, bytes);
        var tampered = File.ReadAllBytes(path);

        var error = Refused(path);
        Assert.Equal(entryName, error.Entry);
        Assert.Contains($"'{entryName}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(tampered, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("weights.bin")]
    [InlineData("manifest.json")]
    public void AMissingEntryIsRefusedNamingIt(string entryName)
    {
        var path = SaveModel(alone: true);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(OurEntry(path, entryName, zip))!.Delete();
        }

        var error = Refused(path);
        Assert.Equal(entryName, error.Entry);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00010001u, "earlier version")]
    [InlineData(0x00030001u, "newer version")]
    public void AnotherFormatVersionIsRefusedSayingWhatToDo(uint format, string expected)
    {
        var path = SaveModel(alone: true);
        var entry = OurEntry(path, "Model.key");
        var bytes = ReadEntry(path, entry);

        // ML.NET's model header keeps the model's written and readable versions at 0x48 and 0x4C.
        BitConverter.TryWriteBytes(bytes.AsSpan(0x48), format);
        BitConverter.TryWriteBytes(bytes.AsSpan(0x4C), format);
        WriteEntry(path, entry, bytes);

        var error = Refused(path);
        Assert.Equal("Model.key", error.Entry);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUntouchedModelLoads() => Assert.NotNull(new MLContext().Model.Load(SaveModel(alone: true), out _));

    [Fact]
    public void ATransformerSavedAloneReportsTheProblemAtTheTopLevel()
    {
        var path = SaveModel(alone: true);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry(OurEntry(path, "weights.bin", zip))!.Delete();
        }

        var error = Assert.Throws<CorruptModelException>(() => new MLContext().Model.Load(path, out _));
        Assert.StartsWith("The saved deep learning transformer cannot be loaded: entry 'weights.bin'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The loader's error as a user catches it: directly for a transformer saved alone; inside a
    /// pipeline, ML.NET's own chain loader (which calls its loaders by reflection) wraps it once.
    /// </summary>
    private static CorruptModelException Refused(string path)
    {
        var error = Record.Exception(() => new MLContext().Model.Load(path, out _));
        Assert.NotNull(error);
        return error as CorruptModelException
            ?? Assert.IsType<CorruptModelException>(Assert.IsType<System.Reflection.TargetInvocationException>(error).InnerException);
    }

    private static string OurEntry(string path, string name, ZipArchive? open = null)
    {
        using var zip = open is null ? ZipFile.OpenRead(path) : null;
        var archive = open ?? zip!;
        var manifest = archive.Entries.Single(e => e.Name == "manifest.json").FullName;
        return manifest[..^"manifest.json".Length] + name;
    }

    private static byte[] ReadEntry(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void WriteEntry(string path, string entry, byte[] bytes)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(entry)!.Delete();
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(bytes);
    }
}

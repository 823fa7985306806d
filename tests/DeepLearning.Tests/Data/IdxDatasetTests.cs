using System.Buffers.Binary;
using System.IO.Compression;
using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Data;

public sealed class IdxDatasetTests : IDisposable
{
    private const int Count = 5;
    private const int Height = 4;
    private const int Width = 3;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idx-tests-" + Guid.NewGuid().ToString("N"));

    public IdxDatasetTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    // Image i, pixel p holds (i * 12 + p) * 4 % 256, label i holds (i * 3) % 10.
    private static byte Pixel(int image, int pixel) => (byte)((image * Height * Width + pixel) * 4 % 256);

    private static byte LabelOf(int image) => (byte)(image * 3 % 10);

    private static byte[] ImagesFile(int count = Count, int magic = IdxReader.ImagesMagic)
    {
        var bytes = new byte[16 + count * Height * Width];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), Height);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), Width);
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < Height * Width; p++)
            {
                bytes[16 + i * Height * Width + p] = Pixel(i, p);
            }
        }

        return bytes;
    }

    private static byte[] LabelsFile(int count = Count)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), IdxReader.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        for (int i = 0; i < count; i++)
        {
            bytes[8 + i] = LabelOf(i);
        }

        return bytes;
    }

    private void Write(string name, byte[] content, bool gzip)
    {
        if (gzip)
        {
            using var file = File.Create(Path.Combine(_directory, name + ".gz"));
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(content);
        }
        else
        {
            File.WriteAllBytes(Path.Combine(_directory, name), content);
        }
    }

    private void WriteSplit(IdxSplit split, bool gzip, byte[]? images = null, byte[]? labels = null)
    {
        string prefix = split == IdxSplit.Train ? "train" : "t10k";
        Write(prefix + "-images-idx3-ubyte", images ?? ImagesFile(), gzip);
        Write(prefix + "-labels-idx1-ubyte", labels ?? LabelsFile(), gzip);
    }

    private static (float[][] Features, float[] Labels) ReadAll(IDataView data)
    {
        var features = data.GetColumn<VBuffer<float>>(data.Schema["Features"]).Select(v => v.DenseValues().ToArray()).ToArray();
        var labels = data.GetColumn<float>(data.Schema["Label"]).ToArray();
        return (features, labels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoadsValuesLabelsAndShape(bool gzip)
    {
        WriteSplit(IdxSplit.Train, gzip);
        var data = IdxDataset.Load(new MLContext(1), _directory, IdxSplit.Train);

        var featuresColumn = data.Schema["Features"];
        var vector = Assert.IsType<VectorDataViewType>(featuresColumn.Type);
        Assert.Equal(NumberDataViewType.Single, vector.ItemType);
        Assert.Equal(Height * Width, vector.Size);
        Assert.Equal(NumberDataViewType.Single, data.Schema["Label"].Type);
        Assert.Equal(Count, data.GetRowCount());

        Assert.True(ImageShapeAnnotations.TryGet(featuresColumn, out int channels, out int height, out int width));
        Assert.Equal((1, Height, Width), (channels, height, width));
        Assert.False(ImageShapeAnnotations.TryGet(data.Schema["Label"], out _, out _, out _));

        var (features, labels) = ReadAll(data);
        Assert.Equal(Count, features.Length);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(LabelOf(i), labels[i]);
            for (int p = 0; p < Height * Width; p++)
            {
                Assert.Equal(Pixel(i, p) / 255f, features[i][p]);
            }
        }

        Assert.Contains(features.SelectMany(f => f), v => v > 0.9f);
        Assert.All(features.SelectMany(f => f), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void UnscaledPixelsKeepByteValuesAndTestSplitUsesT10kFiles()
    {
        WriteSplit(IdxSplit.Test, gzip: true);
        var (pixels, labels, rows, height, width) = IdxDataset.ReadArrays(_directory, IdxSplit.Test, scale: false);
        Assert.Equal((Count, Height, Width), (rows, height, width));
        Assert.Equal(Count * Height * Width, pixels.Length);
        Assert.Equal(Pixel(3, 7), pixels[3 * Height * Width + 7]);
        Assert.Equal(LabelOf(4), labels[4]);
        Assert.Throws<FileNotFoundException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train));
    }

    [Fact]
    public void MaxRowsTakesTheFirstRows()
    {
        WriteSplit(IdxSplit.Train, gzip: true);
        var data = IdxDataset.Load(new MLContext(1), _directory, maxRows: 2);
        Assert.Equal(2, data.GetRowCount());
        var (features, labels) = ReadAll(data);
        Assert.Equal(new float[] { LabelOf(0), LabelOf(1) }, labels);
        Assert.Equal(Pixel(1, 11) / 255f, features[1][11]);

        var (_, _, rows, _, _) = IdxDataset.ReadArrays(_directory, IdxSplit.Train, maxRows: 100);
        Assert.Equal(Count, rows);
    }

    [Fact]
    public void ExistsNeedsAllFourFiles()
    {
        Assert.False(IdxDataset.Exists(_directory));
        WriteSplit(IdxSplit.Train, gzip: true);
        Assert.False(IdxDataset.Exists(_directory));
        WriteSplit(IdxSplit.Test, gzip: false);
        Assert.True(IdxDataset.Exists(_directory));
        Assert.False(IdxDataset.Exists(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void MissingDirectoryNamesPathAndPackage()
    {
        string missing = Path.Combine(_directory, "no-such-dir");
        var e = Assert.Throws<FileNotFoundException>(() => IdxDataset.Load(new MLContext(1), missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("dataset-fashion-mnist", e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WrongMagicIsInvalidData(bool gzip)
    {
        WriteSplit(IdxSplit.Train, gzip, images: ImagesFile(magic: 0x00000801));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("0x00000803", e.Message);

        // Labels and images swapped: the label reader rejects an image file too.
        Write("swapped", ImagesFile(), gzip);
        string swapped = Path.Combine(_directory, "swapped" + (gzip ? ".gz" : string.Empty));
        e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(swapped));
        Assert.Contains("0x00000801", e.Message);
    }

    [Theory]
    [InlineData(true, 16 + 20)]
    [InlineData(false, 16 + 20)]
    [InlineData(false, 10)]
    [InlineData(false, 2)]
    public void TruncatedFileIsInvalidData(bool gzip, int keep)
    {
        WriteSplit(IdxSplit.Train, gzip, images: ImagesFile()[..keep]);
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void CutGzipStreamIsInvalidData()
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(ImagesFile());
        }

        var bytes = buffer.ToArray();
        File.WriteAllBytes(Path.Combine(_directory, "train-images-idx3-ubyte.gz"), bytes[..(bytes.Length / 2)]);
        Write("train-labels-idx1-ubyte", LabelsFile(), gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }

    [Fact]
    public void CountMismatchIsInvalidData()
    {
        WriteSplit(IdxSplit.Train, gzip: true, labels: LabelsFile(Count - 1));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train));
        Assert.Contains("labels", e.Message);
        Assert.Throws<InvalidDataException>(() => IdxDataset.ReadArrays(_directory, IdxSplit.Train, maxRows: 2));
    }

    [Fact]
    public void ClassNamesAreTheTenFashionMnistClasses()
    {
        Assert.Equal(10, IdxDataset.FashionMnistClassNames.Count);
        Assert.Equal("T-shirt/top", IdxDataset.FashionMnistClassNames[0]);
        Assert.Equal("Ankle boot", IdxDataset.FashionMnistClassNames[9]);
    }

    [Fact]
    public void ShuffledCursorVisitsEveryRowOnce()
    {
        WriteSplit(IdxSplit.Train, gzip: false);
        var data = IdxDataset.Load(new MLContext(1), _directory);
        var shuffled = new MLContext(1).Data.ShuffleRows(data, seed: 3);
        var labels = shuffled.GetColumn<float>(shuffled.Schema["Label"]).OrderBy(l => l).ToArray();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (float)LabelOf(i)).OrderBy(l => l), labels);
    }
}

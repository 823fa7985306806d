using Microsoft.ML;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// Loads MNIST-style data sets (Fashion-MNIST, MNIST) from the four IDX files
/// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each gzip-compressed (<c>.gz</c>) or raw.
/// </summary>
public static class IdxDataset
{
    /// <summary>
    /// Where the Debian/Ubuntu package <c>dataset-fashion-mnist</c> installs Fashion-MNIST.
    /// </summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private const string HowToGet =
        "On Debian/Ubuntu install Fashion-MNIST with 'apt-get install dataset-fashion-mnist' (it installs to "
        + DefaultDirectory + "), or download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from the official Fashion-MNIST (or MNIST) page into that directory.";

    private static readonly string[] ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>The names of the ten Fashion-MNIST classes, indexed by label.</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } = Array.AsReadOnly(ClassNames);

    /// <summary>Tells whether the directory holds the images and labels of both splits (gzip-compressed or raw).</summary>
    /// <param name="directory">The directory to look in.</param>
    /// <returns><see langword="true"/> when all four files are present.</returns>
    public static bool Exists(string directory = DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        foreach (var split in new[] { IdxSplit.Train, IdxSplit.Test })
        {
            if (FindFile(directory, ImagesName(split)) is null || FindFile(directory, LabelsName(split)) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Loads one split as an <see cref="IDataView"/> with a <c>Features</c> column (known-size vector of
    /// <see cref="float"/>, one slot per pixel, row-major, annotated with <see cref="ImageShapeAnnotations"/>)
    /// and a <c>Label</c> column (<see cref="float"/> class index).
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="directory">The directory holding the IDX files.</param>
    /// <param name="split">Which split to read.</param>
    /// <param name="scale">Divide pixel values by 255 so that they lie in [0, 1]; otherwise they lie in [0, 255].</param>
    /// <param name="maxRows">Read at most this many rows (the first ones); <see langword="null"/> reads all.</param>
    /// <returns>The data, held in memory.</returns>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to get the data.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid IDX file, or images and labels differ in count.</exception>
    public static IDataView Load(MLContext mlContext, string directory = DefaultDirectory, IdxSplit split = IdxSplit.Train, bool scale = true, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (pixels, labels, rows, height, width) = ReadArrays(directory, split, scale, maxRows);
        return new ImageArrayDataView(pixels, labels, rows, 1, height, width);
    }

    /// <summary>
    /// Reads one split into flat arrays: pixels row-major, one image after another, and labels as
    /// <see cref="float"/> class indices.
    /// </summary>
    /// <param name="directory">The directory holding the IDX files.</param>
    /// <param name="split">Which split to read.</param>
    /// <param name="scale">Divide pixel values by 255.</param>
    /// <param name="maxRows">Read at most this many rows (the first ones); <see langword="null"/> reads all.</param>
    /// <returns>The pixels (<c>Rows * Height * Width</c>), the labels (<c>Rows</c>), and the shape.</returns>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to get the data.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid IDX file, or images and labels differ in count.</exception>
    public static (float[] Pixels, float[] Labels, int Rows, int Height, int Width) ReadArrays(string directory, IdxSplit split, bool scale = true, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (maxRows is int max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxRows));
        }

        string imagesPath = RequireFile(directory, ImagesName(split));
        string labelsPath = RequireFile(directory, LabelsName(split));

        // Read the full label file to compare its count with the image header (labels are small).
        byte[] labelBytes = IdxReader.ReadLabels(labelsPath);
        var images = IdxReader.ReadImages(imagesPath, maxRows);
        if (images.FileCount != labelBytes.Length)
        {
            throw new InvalidDataException(
                $"IDX file '{imagesPath}' holds {images.FileCount} images but '{labelsPath}' holds {labelBytes.Length} labels; the counts must match.");
        }

        var lookup = new float[256];
        for (int i = 0; i < lookup.Length; i++)
        {
            lookup[i] = scale ? i / 255f : i;
        }

        var source = images.Pixels;
        var pixels = new float[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            pixels[i] = lookup[source[i]];
        }

        var labels = new float[images.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
        }

        return (pixels, labels, images.Count, images.Height, images.Width);
    }

    private static string Prefix(IdxSplit split) => split switch
    {
        IdxSplit.Train => "train",
        IdxSplit.Test => "t10k",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    private static string ImagesName(IdxSplit split) => Prefix(split) + "-images-idx3-ubyte";

    private static string LabelsName(IdxSplit split) => Prefix(split) + "-labels-idx1-ubyte";

    private static string? FindFile(string directory, string name)
    {
        string gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz))
        {
            return gz;
        }

        string raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : null;
    }

    private static string RequireFile(string directory, string name)
    {
        string? found = FindFile(directory, name);
        if (found is not null)
        {
            return found;
        }

        string where = Directory.Exists(directory) ? $"in directory '{directory}'" : $"because directory '{directory}' does not exist";
        string path = Path.Combine(directory, name + ".gz");
        throw new FileNotFoundException($"IDX file '{path}' (or '{name}' uncompressed) was not found {where}. {HowToGet}", path);
    }
}

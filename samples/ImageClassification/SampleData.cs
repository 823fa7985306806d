using DeepLearning.Transforms.Data;
using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>The training and test splits of the default path, and where they came from.</summary>
/// <param name="Train">Training data: <c>Features</c> (784 floats in [0, 1], image shape [1, 28, 28]) and <c>Label</c> (Single class index).</param>
/// <param name="Test">Test data, same schema.</param>
/// <param name="Description">What the data is, for the report.</param>
/// <param name="ClassNames">Names of the classes, indexed by label.</param>
internal sealed record SampleData(IDataView Train, IDataView Test, string Description, IReadOnlyList<string> ClassNames)
{
    public const int SyntheticTrainRows = 6000;
    public const int SyntheticTestRows = 1000;
    public const int Classes = 10;

    /// <summary>Names of the synthetic classes (bars at ten angles), indexed by label.</summary>
    public static IReadOnlyList<string> SyntheticClassNames { get; } =
        Enumerable.Range(0, Classes).Select(k => $"bar at {k * 180 / Classes} deg").ToArray();

    /// <summary>Loads Fashion-MNIST, or generates synthetic images of the same shape when it is not installed.</summary>
    public static SampleData Load(MLContext ml, SampleOptions options)
    {
        if (IdxDataset.Exists(options.DataDirectory))
        {
            var train = IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Train, maxRows: options.MaxTrainingRows);
            var test = IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Test, maxRows: options.MaxTestRows);
            return new SampleData(train, test, $"Fashion-MNIST from {options.DataDirectory}", IdxDataset.FashionMnistClassNames);
        }

        ExplainMissingDataset(options.DataDirectory);
        int trainRows = Math.Min(SyntheticTrainRows, options.MaxTrainingRows ?? SyntheticTrainRows);
        return new SampleData(
            SyntheticImages.Generate(ml, trainRows, Classes, seed: 1),
            SyntheticImages.Generate(ml, SyntheticTestRows, Classes, seed: 2),
            "synthetic images",
            SyntheticClassNames);
    }

    /// <summary>Tells how to get Fashion-MNIST, and that synthetic images are used instead.</summary>
    public static void ExplainMissingDataset(string directory)
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

using DeepLearning.Transforms.Data;
using Microsoft.ML;

namespace DeepLearning.Samples.Shared;

/// <summary>The training and test splits of Fashion-MNIST (or synthetic images of its shape), and where they came from.</summary>
/// <param name="Train">Training data: <c>Features</c> (784 floats in [0, 1], image shape [1, 28, 28]) and <c>Label</c> (Single class index).</param>
/// <param name="Test">Test data, same schema.</param>
/// <param name="Description">What the data is, for the report.</param>
/// <param name="ClassNames">Names of the classes, indexed by label.</param>
internal sealed record SampleData(IDataView Train, IDataView Test, string Description, IReadOnlyList<string> ClassNames)
{
    /// <summary>Synthetic training rows generated when Fashion-MNIST is not installed.</summary>
    public const int SyntheticTrainRows = 6000;

    /// <summary>Synthetic test rows generated when Fashion-MNIST is not installed.</summary>
    public const int SyntheticTestRows = 1000;

    /// <summary>Number of classes, of Fashion-MNIST and of the synthetic images.</summary>
    public const int Classes = 10;

    /// <summary>Names of the synthetic classes (bars at ten angles), indexed by label.</summary>
    public static IReadOnlyList<string> SyntheticClassNames { get; } =
        Enumerable.Range(0, Classes).Select(k => $"bar at {k * 180 / Classes} deg").ToArray();

    /// <summary>Loads Fashion-MNIST, or explains how to get it and generates synthetic images of the same shape.</summary>
    /// <param name="ml">The context that reads or generates the data.</param>
    /// <param name="dataDirectory">Where the four Fashion-MNIST IDX files are.</param>
    /// <param name="maxTrainingRows">Training rows to read, or <see langword="null"/> for all of them.</param>
    /// <param name="maxTestRows">Fashion-MNIST test rows to read, or <see langword="null"/> for all of them.</param>
    /// <returns>The two splits and their description.</returns>
    public static SampleData Load(MLContext ml, string dataDirectory, int? maxTrainingRows, int? maxTestRows = null)
    {
        if (IdxDataset.Exists(dataDirectory))
        {
            var train = IdxDataset.Load(ml, dataDirectory, IdxSplit.Train, maxRows: maxTrainingRows);
            var test = IdxDataset.Load(ml, dataDirectory, IdxSplit.Test, maxRows: maxTestRows);
            return new SampleData(train, test, $"Fashion-MNIST from {dataDirectory}", IdxDataset.FashionMnistClassNames);
        }

        MissingDataset.Explain(dataDirectory);
        int trainRows = Math.Min(SyntheticTrainRows, maxTrainingRows ?? SyntheticTrainRows);
        return new SampleData(
            SyntheticImages.Generate(ml, trainRows, Classes, seed: 1),
            SyntheticImages.Generate(ml, SyntheticTestRows, Classes, seed: 2),
            "synthetic images",
            SyntheticClassNames);
    }
}

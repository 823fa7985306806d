using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.Diagnosis;

/// <summary>A row of either distribution: a 28×28 grey image and its class name.</summary>
internal sealed class ClothingRow
{
    /// <summary>The 784 pixels, row-major, as one image of shape [1, 28, 28].</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    /// <summary>The class name.</summary>
    public string Label { get; set; } = "";
}

/// <summary>A class name, the one column of the key data of <c>MapValueToKey</c>.</summary>
internal sealed class ClassName
{
    /// <summary>The class name.</summary>
    public string Label { get; set; } = "";
}

/// <summary>
/// The training distribution (Fashion-MNIST's training images, as they are) and the target
/// distribution the model will meet (Fashion-MNIST's test images as a poor camera would give them:
/// darker, with less contrast and sensor noise). Synthetic images stand in when Fashion-MNIST is absent.
/// </summary>
/// <param name="Training">The training-distribution rows.</param>
/// <param name="Target">The target-distribution rows.</param>
/// <param name="ClassNames">The class names, in label order.</param>
/// <param name="Description">Where the data came from, for the report.</param>
internal sealed record Distributions(IDataView Training, IDataView Target, IReadOnlyList<string> ClassNames, string Description)
{
    /// <summary>How much of its brightness a target image keeps.</summary>
    private const float Dimming = 0.5f;

    /// <summary>Standard deviation of the noise added to every target pixel.</summary>
    private const double Noise = 0.1;

    /// <summary>Loads both distributions.</summary>
    /// <param name="ml">The context that makes the views.</param>
    /// <param name="directory">Where the Fashion-MNIST IDX files are.</param>
    /// <param name="trainingRows">Training rows to read, or <see langword="null"/> for all.</param>
    public static Distributions Load(MLContext ml, string directory, int? trainingRows)
    {
        if (IdxDataset.Exists(directory))
        {
            var train = IdxDataset.ReadArrays(directory, IdxSplit.Train, maxRows: trainingRows);
            var test = IdxDataset.ReadArrays(directory, IdxSplit.Test);
            var names = IdxDataset.FashionMnistClassNames;
            return new(View(ml, train, names, null), View(ml, test, names, new Random(2)), names, $"Fashion-MNIST from {directory}");
        }

        MissingDataset.Explain(directory);
        var rows = Math.Min(SampleData.SyntheticTrainRows, trainingRows ?? SampleData.SyntheticTrainRows);
        var synthetic = SampleData.SyntheticClassNames;
        return new(
            View(ml, SyntheticImages.GenerateArrays(rows, SampleData.Classes, seed: 1), synthetic, null),
            View(ml, SyntheticImages.GenerateArrays(SampleData.SyntheticTestRows, SampleData.Classes, seed: 2), synthetic, new Random(2)),
            synthetic,
            "synthetic images");
    }

    /// <summary>The class names as a one-column view, to fix the key order of <c>MapValueToKey</c>.</summary>
    /// <param name="ml">The context.</param>
    public IDataView ClassNameView(MLContext ml) => ml.Data.LoadFromEnumerable(ClassNames.Select(n => new ClassName { Label = n }));

    /// <summary>The rows of the arrays; <paramref name="shift"/> (when given) moves them to the target distribution.</summary>
    private static IDataView View(MLContext ml, (float[] Pixels, float[] Labels, int Rows, int Height, int Width) data, IReadOnlyList<string> names, Random? shift)
    {
        var size = data.Height * data.Width;
        var rows = new ClothingRow[data.Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            var image = data.Pixels.AsSpan(i * size, size).ToArray();
            if (shift is not null)
            {
                for (var p = 0; p < image.Length; p++)
                {
                    image[p] = Math.Clamp(Dimming * image[p] + (float)(Noise * Gaussian(shift)), 0f, 1f);
                }
            }

            rows[i] = new ClothingRow { Features = image, Label = names[(int)data.Labels[i]] };
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>
/// The things pasted into scenes: grey stamps (intensity in [0, 1], 0 = transparent) with a class each,
/// either Fashion-MNIST's images or geometric shapes drawn here when the data set is absent.
/// </summary>
public sealed class SceneItems
{
    private SceneItems(float[][] stamps, int[] classes, int side, IReadOnlyList<string> classNames)
    {
        Stamps = stamps;
        Classes = classes;
        Side = side;
        ClassNames = classNames;
    }

    /// <summary>Names of the classes, by class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Side of every (square) stamp in pixels.</summary>
    internal int Side { get; }

    /// <summary>The stamps, <c>Side × Side</c> intensities each.</summary>
    internal float[][] Stamps { get; }

    /// <summary>The class index of each stamp.</summary>
    internal int[] Classes { get; }

    /// <summary>Fashion-MNIST images as items (10 classes, 28×28).</summary>
    /// <param name="directory">Directory of the IDX files (see <see cref="IdxDataset"/>).</param>
    /// <param name="split">Which split's images to use: keep training and test scenes apart by using both.</param>
    /// <param name="maxItems">How many images to read (the first ones); at least 1. Default 10,000.</param>
    /// <exception cref="FileNotFoundException">The data set is not in <paramref name="directory"/>.</exception>
    public static SceneItems FashionMnist(string directory = IdxDataset.DefaultDirectory, IdxSplit split = IdxSplit.Train, int maxItems = 10_000)
    {
        Validation.OptionCheck.Require(maxItems >= 1, maxItems, nameof(maxItems), "at least 1");
        var (pixels, labels, rows, height, width) = IdxDataset.ReadArrays(directory, split, scale: true, maxRows: maxItems);
        int size = height * width;
        var stamps = Enumerable.Range(0, rows).Select(i => pixels.AsSpan(i * size, size).ToArray()).ToArray();
        return new SceneItems(stamps, labels.Select(l => (int)l).ToArray(), width, IdxDataset.FashionMnistClassNames);
    }

    /// <summary>Geometric shapes as items, drawn with soft edges: disc, square, triangle, ring, cross (5 classes), several variants each.</summary>
    /// <param name="side">Side of the stamps in pixels. Default 28; in [8, 256].</param>
    public static SceneItems Shapes(int side = 28)
    {
        Validation.OptionCheck.Require(side is >= 8 and <= 256, side, nameof(side), "in [8, 256]");
        var stamps = new List<float[]>();
        var classes = new List<int>();
        for (int shape = 0; shape < ShapeStamps.Names.Count; shape++)
        {
            foreach (double fill in new[] { 0.6, 0.8, 1.0 })
            {
                stamps.Add(ShapeStamps.Draw(shape, side, fill));
                classes.Add(shape);
            }
        }

        return new SceneItems([.. stamps], [.. classes], side, ShapeStamps.Names);
    }
}

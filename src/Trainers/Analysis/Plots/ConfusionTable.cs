using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Confusion counts of a classifier, rows = true class, columns = predicted class, and the row-normalised fractions.</summary>
public sealed class ConfusionTable
{
    private ConfusionTable(IReadOnlyList<string> classNames, long[,] counts)
    {
        ClassNames = classNames;
        Counts = counts;
        var n = classNames.Count;
        RowNormalized = new double[n, n];
        for (var t = 0; t < n; t++)
        {
            long total = 0;
            for (var p = 0; p < n; p++)
            {
                total += counts[t, p];
            }

            for (var p = 0; p < n; p++)
            {
                // A class that never occurs has an all-zero row, not NaN.
                RowNormalized[t, p] = total == 0 ? 0 : (double)counts[t, p] / total;
            }
        }
    }

    /// <summary>The class names, in index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Counts[true, predicted].</summary>
    public long[,] Counts { get; }

    /// <summary>Counts divided by their row total (0 for a class that never occurs).</summary>
    public double[,] RowNormalized { get; }

    /// <summary>The off-diagonal cells (true class, predicted class, count) with the most rows, largest first (ties: by true, then predicted class); cells with no rows are left out.</summary>
    /// <param name="count">How many pairs at most; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public IReadOnlyList<(string TrueClass, string PredictedClass, long Count)> MostConfused(int count = 5)
    {
        OptionCheck.Require(count > 0, count, nameof(count), "positive");
        var n = ClassNames.Count;
        return Enumerable.Range(0, n * n)
            .Select(cell => (True: cell / n, Predicted: cell % n))
            .Where(c => c.True != c.Predicted && Counts[c.True, c.Predicted] > 0)
            .OrderByDescending(c => Counts[c.True, c.Predicted])
            .Take(count)
            .Select(c => (ClassNames[c.True], ClassNames[c.Predicted], Counts[c.True, c.Predicted]))
            .ToArray();
    }

    /// <summary>Writes the matrix as a heat map with the numbers in the cells.</summary>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="normalized">Whether to show each row as fractions of the true class (otherwise counts).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void WritePlot(string path, bool normalized = false, PlotOptions? options = null) => Plots.WriteConfusion(this, path, normalized, options);

    /// <summary>Counts a view scored by a multiclass model; rows with a missing label or prediction are left out.</summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="label">Key column of the true classes.</param>
    /// <param name="predictedLabel">Key column of the predicted classes, or text naming them.</param>
    internal static ConfusionTable FromScored(Microsoft.ML.IDataView scored, string label, string predictedLabel)
    {
        var rows = ScoredRows.Read(scored, label, predictedLabel, score: null, features: null);
        var kept = rows.Labelled();
        return FromIndices(rows.ClassNames, kept.Select(i => rows.Truth[i]).ToArray(), kept.Select(i => rows.Predicted[i]).ToArray());
    }

    /// <summary>Counts 0-based class indices.</summary>
    /// <param name="classNames">The class names; their count is the class count.</param>
    /// <param name="truth">True class index of each row.</param>
    /// <param name="predicted">Predicted class index of each row.</param>
    /// <exception cref="ArgumentException">The lengths differ, or an index is outside the classes.</exception>
    internal static ConfusionTable FromIndices(IReadOnlyList<string> classNames, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"trueLabels has {truth.Count} rows but predictedLabels has {predicted.Count}; they must be equal.", nameof(predicted));
        }

        var n = classNames.Count;
        var counts = new long[n, n];
        for (var i = 0; i < truth.Count; i++)
        {
            counts[Index(truth[i], n, i, "trueLabels"), Index(predicted[i], n, i, "predictedLabels")]++;
        }

        return new ConfusionTable(classNames, counts);
    }

    /// <summary>Counts class names.</summary>
    /// <param name="classNames">The class names, distinct.</param>
    /// <param name="truth">True class name of each row.</param>
    /// <param name="predicted">Predicted class name of each row.</param>
    /// <exception cref="ArgumentException">The lengths differ, a name repeats, or a label is not among the class names.</exception>
    internal static ConfusionTable FromNames(IReadOnlyList<string> classNames, IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classNames.Count; i++)
        {
            if (!index.TryAdd(classNames[i], i))
            {
                throw new ArgumentException($"classNames lists '{classNames[i]}' twice.", nameof(classNames));
            }
        }

        int Find(string label, int row, string parameter) => index.TryGetValue(label, out var k)
            ? k
            : throw new ArgumentException($"{parameter}[{row}] = '{label}' is not one of the classNames ({string.Join(", ", classNames)}).", parameter);

        return FromIndices(
            classNames,
            truth.Select((t, row) => Find(t, row, "trueLabels")).ToArray(),
            predicted.Select((p, row) => Find(p, row, "predictedLabels")).ToArray());
    }

    private static int Index(int value, int classes, int row, string parameter) => value >= 0 && value < classes
        ? value
        : throw new ArgumentException($"{parameter}[{row}] = {value} is not a class index in [0, {classes}).", parameter);
}

using System.Globalization;
using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Samples.Diagnosis;

/// <summary>Prints the error analysis and writes its plots into one folder, remembering the files.</summary>
/// <param name="directory">The output folder.</param>
internal sealed class Report(string directory)
{
    private const int MostConfusedPairs = 5;

    /// <summary>The files written or about to be, in order.</summary>
    public List<string> Written { get; } = [];

    /// <summary>The path of a plot in the output folder, recorded as written.</summary>
    /// <param name="name">The file name.</param>
    public string Path(string name)
    {
        var path = System.IO.Path.Combine(directory, name);
        Written.Add(path);
        return path;
    }

    /// <summary>Prints the most confused pairs and writes the confusion matrix in counts and row-normalised.</summary>
    /// <param name="table">The dev-set confusion table.</param>
    public void Confusion(ConfusionTable table)
    {
        Console.WriteLine("  Most confused (true → predicted: count):");
        foreach (var (truth, predicted, count) in table.MostConfused(MostConfusedPairs))
        {
            Console.WriteLine($"    {truth} → {predicted}: {count}");
        }

        var size = new PlotOptions { Width = 900, Height = 800 };
        table.WritePlot(Path("confusion-counts.png"), normalized: false, size);
        table.WritePlot(Path("confusion-normalised.png"), normalized: true, size);
    }

    /// <summary>Prints the top losses and writes their images as a grid.</summary>
    /// <param name="top">The rows with the highest loss.</param>
    /// <param name="images">The dev images, by row.</param>
    public void TopLosses(IReadOnlyList<TopLoss> top, IReadOnlyList<float[]> images)
    {
        Console.WriteLine("  Top losses (row: true → predicted, p(true), loss):");
        foreach (var t in top.Take(8))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {t.Row,5}: {t.TrueLabel} → {t.PredictedLabel}, p = {t.TrueClassProbability:0.0000}, loss {t.Loss:0.00}"));
        }

        var captions = top.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.TrueLabel} → {t.PredictedLabel} ({t.Loss:0.0})")).ToArray();
        Plots.ImageGrid(top.Select(t => images[t.Row]).ToArray(), captions, [1, 28, 28], Path("top-losses.png"), columns: 4, new PlotOptions { Width = 900, Height = 900, Title = "Top losses on the dev set" });
    }
}

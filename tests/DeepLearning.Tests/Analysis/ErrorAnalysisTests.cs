using DeepLearning.Trainers.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Analysis;

/// <summary>Top losses and the confusion table against hand computations; learning curves against training-set size on a learnable problem.</summary>
public class ErrorAnalysisTests : TempDirectoryTest
{
    private const int Dimensions = 20;

    private sealed class Scored
    {
        public string Label { get; set; } = "";

        public string PredictedLabel { get; set; } = "";

        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }

    private sealed class Point
    {
        /// <summary>0-based class: a <c>[KeyType]</c> member of a class read by <c>LoadFromEnumerable</c> holds the key minus one.</summary>
        [KeyType(3)]
        public uint Label { get; set; }

        [VectorType(Dimensions)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void TopLossesAreTheLowestTrueClassProbabilities()
    {
        var scored = ScoredView(new MLContext(seed: 1));
        var top = ErrorAnalysis.TopLosses(scored, count: 3);

        // p(true) per row: 0.7, 0.1, 0.5, 0.01, 0.9 → losses 0.357, 2.303, 0.693, 4.605, 0.105.
        Assert.Equal([3, 1, 2], top.Select(t => t.Row));
        Assert.Equal([-Math.Log(0.01), -Math.Log(0.1), -Math.Log(0.5)], top.Select(t => t.Loss), new ToleranceComparer(1e-6));
        Assert.Equal(("a", "c"), (top[0].TrueLabel, top[0].PredictedLabel));
        Assert.Equal(0.01, top[0].TrueClassProbability, 6);
        Assert.Contains("count = 0", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorAnalysis.TopLosses(scored, count: 0)).Message);
        Assert.Contains("'Nope'", Assert.Throws<ArgumentException>(() => ErrorAnalysis.TopLosses(scored, scoreColumnName: "Nope")).Message);
    }

    [Fact]
    public void ConfusionCountsAndMostConfusedPairs()
    {
        var table = ErrorAnalysis.Confusion(ScoredView(new MLContext(seed: 1)));

        // Rows (true → predicted): a→a, b→a, c→c, a→c, b→b.
        Assert.Equal(["a", "b", "c"], table.ClassNames);
        Assert.Equal(new long[,] { { 1, 0, 1 }, { 1, 1, 0 }, { 0, 0, 1 } }, table.Counts);
        Assert.Equal(0.5, table.RowNormalized[0, 2]);
        Assert.Equal([("a", "c", 1L), ("b", "a", 1L)], table.MostConfused(5));

        table.WritePlot(Path.Combine(Dir, "counts.png"), options: new PlotOptions { Width = 400, Height = 360 });
        table.WritePlot(Path.Combine(Dir, "normalised.png"), normalized: true, new PlotOptions { Width = 400, Height = 360 });
        PngFile.AssertPlot(Path.Combine(Dir, "counts.png"), 400, 360);
        PngFile.AssertPlot(Path.Combine(Dir, "normalised.png"), 400, 360);
    }

    [Fact]
    public void DevErrorFallsWithTrainingSetSize()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Points(600, seed: 1));
        var dev = ml.Data.LoadFromEnumerable(Points(300, seed: 2));
        var curve = ErrorAnalysis.LearningCurve(
            train,
            dev,
            () => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
            sizes: [6, 30, 150, 600]);

        Assert.Equal([6, 30, 150, 600], curve.Points.Select(p => p.Size));
        var (smallest, largest) = (curve.Points[0], curve.Points[^1]);

        // Six rows in 20 dimensions are fitted well and generalise badly (high variance); more rows close the gap.
        Assert.True(smallest.TrainError < smallest.DevError - 0.3, curve.ToString());
        Assert.True(curve.Points.Zip(curve.Points.Skip(1)).All(p => p.Second.DevError <= p.First.DevError), curve.ToString());
        Assert.True(largest.DevError < smallest.DevError - 0.15, curve.ToString());
        Assert.True(largest.TrainError <= largest.DevError + 0.05, curve.ToString());

        var path = Path.Combine(Dir, "size-curve.png");
        curve.WritePlot(path, humanError: 0.02, new PlotOptions { Width = 500, Height = 400 });
        PngFile.AssertPlot(path, 500, 400);
    }

    [Fact]
    public void LearningCurveSizesAreChecked()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Points(20, seed: 1));
        IEstimator<ITransformer> Factory() => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy();
        Assert.Contains("sizes = [10, 5]", Assert.ThrowsAny<ArgumentException>(() => ErrorAnalysis.LearningCurve(train, train, Factory, [10, 5])).Message);
        Assert.Contains("sizes = [21]", Assert.ThrowsAny<ArgumentException>(() => ErrorAnalysis.LearningCurve(train, train, Factory, [21])).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => ErrorAnalysis.LearningCurve(ml.Data.LoadFromEnumerable(Array.Empty<Point>()), train, Factory)).Message);
    }

    /// <summary>Five rows over classes a, b, c (first seen in that order) with hand-made probabilities.</summary>
    private static IDataView ScoredView(MLContext ml)
    {
        Scored[] rows =
        [
            new() { Label = "a", PredictedLabel = "a", Score = [0.7f, 0.2f, 0.1f] },
            new() { Label = "b", PredictedLabel = "a", Score = [0.8f, 0.1f, 0.1f] },
            new() { Label = "c", PredictedLabel = "c", Score = [0.3f, 0.2f, 0.5f] },
            new() { Label = "a", PredictedLabel = "c", Score = [0.01f, 0.09f, 0.9f] },
            new() { Label = "b", PredictedLabel = "b", Score = [0.05f, 0.9f, 0.05f] },
        ];
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    /// <summary>Three classes, each a Gaussian blob around its own mean in 20 dimensions; labels are keys of 3 classes.</summary>
    private static IEnumerable<Point> Points(int count, int seed)
    {
        var random = new Random(seed);
        var means = new Random(99);
        var centres = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, Dimensions).Select(_ => (float)(means.NextDouble() - 0.5)).ToArray()).ToArray();
        for (var i = 0; i < count; i++)
        {
            var k = i % 3;
            var features = centres[k].Select(c => c + (float)(0.8 * Gaussian(random))).ToArray();
            yield return new Point { Label = (uint)k, Features = features };
        }
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Tests.Detection;

/// <summary>The COCO-style evaluator against average precisions computed by hand on small constructed cases.</summary>
public class DetectionMetricsTests
{
    private static readonly string[] TwoClasses = ["cat", "dog"];

    // Boxes one unit high whose IoU is their overlap along x over their union (all share y in [0, 10]).
    private static readonly float[] A = [0, 0, 10, 10];
    private static readonly float[] B = [20, 0, 30, 10];
    private static readonly float[] Far = [50, 50, 60, 60];

    internal static DetectionImage Image(float[][] truth, int[] labels, float[][] predicted, int[] predictedLabels, float[] scores)
        => new([.. truth.SelectMany(b => b)], labels, [.. predicted.SelectMany(b => b)], predictedLabels, scores);

    private static double Ap50(DetectionImage[] images, int maxDetections = DetectionMetrics.DefaultMaxDetections)
        => DetectionMetrics.Evaluate(images, TwoClasses, maxDetections).PerClass[0].AveragePrecision50;

    [Fact]
    public void PerfectPredictionsScoreOne()
    {
        var images = new[]
        {
            Image([A, B], [0, 1], [B, A], [1, 0], [0.3f, 0.9f]),
            Image([B], [0], [B], [0], [0.5f]),
        };
        var result = DetectionMetrics.Evaluate(images, TwoClasses);
        Assert.Equal(1.0, result.MeanAveragePrecision50, 12);
        Assert.Equal(1.0, result.MeanAveragePrecision50To95, 12);
        Assert.All(result.PerClass, c => Assert.Equal(1.0, c.AveragePrecision50To95, 12));
        Assert.Equal([2, 1], result.PerClass.Select(c => c.GroundTruthCount));
    }

    [Fact]
    public void AFalsePositiveRankedFirstCostsTheEnvelope()
    {
        // Ranks: FP, TP, TP → precision 0, 1/2, 2/3, recall 0, 1/2, 1; the envelope is 2/3 everywhere.
        var first = Ap50([Image([A, B], [0, 0], [Far, A, B], [0, 0, 0], [0.9f, 0.8f, 0.7f])]);
        Assert.Equal(2.0 / 3, first, 12);

        // Ranks: TP, FP, TP → precision 1, 1/2, 2/3; recall levels 0..0.50 see 1, levels 0.51..1 see 2/3.
        var middle = DetectionMetrics.Evaluate([Image([A, B], [0, 0], [A, Far, B], [0, 0, 0], [0.9f, 0.8f, 0.7f])], TwoClasses).PerClass[0];
        Assert.Equal((51 + (50 * 2.0 / 3)) / 101, middle.AveragePrecision50, 12);
        Assert.Equal([0.5, 0.5, 1.0], middle.Curve50!.Recall);
        Assert.Equal([1.0, 0.5, 2.0 / 3], middle.Curve50.Precision);
        Assert.Equal([0.9f, 0.8f, 0.7f], middle.Curve50.Scores);
    }

    [Fact]
    public void ScoreTiesWithinAnImageKeepThePredictionOrder()
    {
        // Equal scores: the earlier prediction ranks first.
        Assert.Equal(0.5, Ap50([Image([A], [0], [Far, A], [0, 0], [0.8f, 0.8f])]), 12);
        Assert.Equal(1.0, Ap50([Image([A], [0], [A, Far], [0, 0], [0.8f, 0.8f])]), 12);
    }

    [Fact]
    public void ScoreTiesAcrossImagesKeepTheImageOrder()
    {
        var falsePositive = Image([], [], [Far], [0], [0.8f]);
        var truePositive = Image([A], [0], [A], [0], [0.8f]);
        Assert.Equal(0.5, Ap50([falsePositive, truePositive]), 12);
        Assert.Equal(1.0, Ap50([truePositive, falsePositive]), 12);
    }

    [Fact]
    public void AnImageWithoutPredictionsAddsMisses()
    {
        // One of two objects found: recall reaches 1/2, so levels 0..0.50 see precision 1 and the rest 0.
        var images = new[] { Image([A], [0], [A], [0], [0.9f]), Image([B], [0], [], [], []) };
        Assert.Equal(51.0 / 101, Ap50(images), 12);
        Assert.Equal(0.0, Ap50([Image([A, B], [0, 0], [], [], [])]));
    }

    [Fact]
    public void AnImageWithoutGroundTruthAddsFalsePositives()
    {
        var images = new[] { Image([A], [0], [A], [0], [0.9f]), Image([], [], [B], [0], [0.95f]) };
        Assert.Equal(0.5, Ap50(images), 12);
    }

    [Fact]
    public void AClassWithoutGroundTruthIsLeftOutOfTheMean()
    {
        // Class 1 only has a (false) prediction: it gets no AP and does not lower the mean.
        var images = new[] { Image([A, B], [0, 0], [A, Far], [0, 1], [0.9f, 0.99f]) };
        var result = DetectionMetrics.Evaluate(images, TwoClasses);
        Assert.Equal(51.0 / 101, result.MeanAveragePrecision50, 12);
        Assert.True(double.IsNaN(result.PerClass[1].AveragePrecision50));
        Assert.Null(result.PerClass[1].Curve50);
        Assert.Equal(1, result.PerClass[1].PredictionCount);

        var none = DetectionMetrics.Evaluate([Image([], [], [A], [0], [0.9f])], TwoClasses);
        Assert.True(double.IsNaN(none.MeanAveragePrecision50));
        Assert.True(double.IsNaN(none.MeanAveragePrecision50To95));
    }

    [Fact]
    public void APredictionOverlappingTwoObjectsTakesTheHigherIou()
    {
        float[] first = [0, 0, 10, 10], second = [5, 0, 15, 10];
        float[] between = [3, 0, 14, 10]; // IoU 7/14 = 0.5 with first, 9/12 = 0.75 with second.
        // The second prediction lies exactly on 'second', already taken: a false positive; 'first' is missed.
        var result = DetectionMetrics.Evaluate([Image([first, second], [0, 0], [between, second], [0, 0], [0.9f, 0.8f])], TwoClasses).PerClass[0];
        Assert.Equal([0.5, 0.5], result.Curve50!.Recall);
        Assert.Equal(51.0 / 101, result.AveragePrecision50, 12);

        // Had it taken 'first', the second prediction would have found 'second': each object is matched once.
        Assert.Equal(1.0, Ap50([Image([first, second], [0, 0], [between, first], [0, 0], [0.9f, 0.8f])]), 12);
    }

    [Fact]
    public void ASecondPredictionOnOneObjectIsAFalsePositive()
    {
        var result = DetectionMetrics.Evaluate([Image([A], [0], [A, A], [0, 0], [0.9f, 0.8f])], TwoClasses).PerClass[0];
        Assert.Equal([1.0, 0.5], result.Curve50!.Precision);
        Assert.Equal(1.0, result.AveragePrecision50, 12);
    }

    [Theory]
    [InlineData(5f, 1.0, 0.1)] // IoU exactly 0.5: matches at 0.5 (IoU ≥ threshold), at no higher threshold.
    [InlineData(4.99f, 0.0, 0.0)] // IoU 0.499: matches nowhere.
    [InlineData(7.25f, 1.0, 0.5)] // IoU 0.725: matches at 0.50, 0.55, 0.60, 0.65, 0.70.
    [InlineData(10f, 1.0, 1.0)]
    public void IouAtTheThresholds(float height, double ap50, double ap50To95)
    {
        var result = DetectionMetrics.Evaluate([Image([A], [0], [[0, 0, 10, height]], [0], [0.9f])], TwoClasses);
        Assert.Equal(ap50, result.PerClass[0].AveragePrecision50, 12);
        Assert.Equal(ap50To95, result.PerClass[0].AveragePrecision50To95, 12);
        Assert.Equal(ap50To95, result.MeanAveragePrecision50To95, 12);
    }

    [Fact]
    public void MaxDetectionsKeepsTheHighestScoresPerImageAndClass()
    {
        var image = Image([A], [0], [Far, B, A], [0, 0, 0], [0.9f, 0.8f, 0.7f]);
        Assert.Equal(1.0 / 3, Ap50([image]), 12);
        Assert.Equal(0.0, Ap50([image], maxDetections: 2));
        Assert.Equal(2, DetectionMetrics.Evaluate([image], TwoClasses, 2).PerClass[0].PredictionCount);
    }

    [Fact]
    public void TheThresholdsAndRecallLevelsAreCocos()
    {
        Assert.Equal(10, DetectionMetrics.IouThresholds.Count);
        Assert.Equal(0.5, DetectionMetrics.IouThresholds[0]);
        Assert.Equal(0.95, DetectionMetrics.IouThresholds[^1]);
        Assert.Equal(0.75, DetectionMetrics.IouThresholds[5], 15);
        Assert.Equal(101, PrecisionRecallCurve.RecallLevels.Count);
        Assert.Equal(0.5, PrecisionRecallCurve.RecallLevels[50]);
        Assert.Equal(1.0, PrecisionRecallCurve.RecallLevels[100]);
    }
}

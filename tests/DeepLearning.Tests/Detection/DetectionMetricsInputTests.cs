using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Tests.Detection;

/// <summary>Bad inputs to the detection evaluator get messages naming the array, the image and the value.</summary>
public class DetectionMetricsInputTests
{
    private static readonly string[] Classes = ["cat", "dog"];

    private static ArgumentException Fails(DetectionImage bad)
    {
        var good = new DetectionImage([0, 0, 1, 1], [0], [0, 0, 1, 1], [0], [0.5f]);
        return Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate([good, bad], Classes));
    }

    [Fact]
    public void ABoxLabelCountMismatchIsNamed()
    {
        var e = Fails(new DetectionImage([0, 0, 1, 1, 2, 2, 3, 3], [0], [], [], []));
        Assert.Equal("Boxes", e.ParamName);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("8 values for 1 labels", e.Message);
    }

    [Fact]
    public void APredictedBoxCountMismatchIsNamed()
    {
        var e = Fails(new DetectionImage([], [], [0, 0, 1], [1], [0.5f]));
        Assert.Equal("PredictedBoxes", e.ParamName);
        Assert.Contains("3 values for 1 labels", e.Message);
    }

    [Fact]
    public void ANegativeSizeIsNamed()
    {
        var e = Fails(new DetectionImage([10, 0, 5, 5], [0], [], [], []));
        Assert.Contains("box 0 is (10, 0, 5, 5)", e.Message);
        Assert.Contains("negative size", e.Message);
    }

    [Fact]
    public void ANaNScoreIsNamed()
    {
        var e = Fails(new DetectionImage([], [], [0, 0, 1, 1], [1], [float.NaN]));
        Assert.Equal("Scores", e.ParamName);
        Assert.Contains("row 1: score 0 is NaN", e.Message);
    }

    [Fact]
    public void AScoreCountMismatchIsNamed()
    {
        var e = Fails(new DetectionImage([], [], [0, 0, 1, 1], [1], [0.5f, 0.4f]));
        Assert.Equal("Scores", e.ParamName);
        Assert.Contains("2 scores for 1 predicted labels", e.Message);
    }

    [Fact]
    public void AClassOutOfRangeIsNamed()
    {
        var e = Fails(new DetectionImage([0, 0, 1, 1], [2], [], [], []));
        Assert.Equal("Labels", e.ParamName);
        Assert.Contains("label 0 is 2, not a class index in [0, 2)", e.Message);
    }

    [Fact]
    public void ANonPositiveMaxDetectionsIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DetectionMetrics.Evaluate([], Classes, 0));
        Assert.Contains("maxDetections = 0", e.Message);
    }
}

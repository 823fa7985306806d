using DeepLearning.Trainers.Analysis;
using DeepLearning.Transforms.Data.Scenes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Detection;

/// <summary>The evaluator over ML.NET's object-detection columns: the same numbers as over arrays, class names from the key values, and named column errors.</summary>
public class DetectionMetricsViewTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void AViewGivesTheSameMetricsAsTheArrays()
    {
        var rows = new[]
        {
            new Row { Labels = [1, 2], Boxes = [0, 0, 10, 10, 20, 0, 30, 10], PredictedLabel = [1, 1, 2], PredictedBoundingBoxes = [0, 0, 10, 9, 50, 50, 60, 60, 21, 0, 30, 10], Score = [0.9f, 0.8f, 0.7f] },
            new Row { Labels = [1], Boxes = [5, 5, 15, 15], PredictedLabel = [], PredictedBoundingBoxes = [], Score = [] },
            new Row { Labels = [], Boxes = [], PredictedLabel = [2], PredictedBoundingBoxes = [1, 1, 4, 4], Score = [0.95f] },
        };
        var fromView = DetectionMetrics.Evaluate(Ml.Data.LoadFromEnumerable(rows));
        var fromArrays = DetectionMetrics.Evaluate(
            rows.Select(r => new DetectionImage(r.Boxes, [.. r.Labels.Select(k => (int)k - 1)], r.PredictedBoundingBoxes, [.. r.PredictedLabel.Select(k => (int)k - 1)], r.Score)).ToArray(),
            ["1", "2", "3"]);
        Assert.Equal(fromArrays.MeanAveragePrecision50, fromView.MeanAveragePrecision50);
        Assert.Equal(fromArrays.MeanAveragePrecision50To95, fromView.MeanAveragePrecision50To95);
        Assert.Equal(fromArrays.PerClass.Select(c => c.ClassName), fromView.PerClass.Select(c => c.ClassName));

        // Class 1: TP (IoU 0.9), FP; one miss in row 1 → recall 1/2 at precision 1. Class 2: FP at 0.95, then TP.
        Assert.Equal(51.0 / 101, fromView.PerClass[0].AveragePrecision50, 12);
        Assert.Equal(0.5, fromView.PerClass[1].AveragePrecision50, 12);
        Assert.Equal(((51.0 / 101) + 0.5) / 2, fromView.MeanAveragePrecision50, 12);
    }

    [Fact]
    public void GroundTruthScoredAsPredictionsScoresOneWithTheSceneClassNames()
    {
        var items = SceneItems.Shapes();
        var scenes = SceneGenerator.Generate(12, items, new SceneOptions { Size = 64, Seed = 4 });
        var view = SceneGenerator.ToDataView(Ml, scenes, items.ClassNames);

        // Predictions copied from the truth, scored by their key numbers.
        var scored = TruthAsPredictions.Score(Ml, view, k => (float)k);
        var result = DetectionMetrics.Evaluate(scored);
        Assert.Equal(1.0, result.MeanAveragePrecision50To95, 12);
        Assert.Equal(items.ClassNames, result.PerClass.Select(c => c.ClassName));
        Assert.Equal(scenes.Sum(s => s.Count), result.PerClass.Sum(c => c.GroundTruthCount));
    }

    [Fact]
    public void AMissingColumnIsNamed()
    {
        var view = Ml.Data.LoadFromEnumerable(new[] { new Row() });
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate(view, scoreColumnName: "Confidence"));
        Assert.Contains("no column 'Confidence'", e.Message);
    }

    [Fact]
    public void AColumnOfTheWrongTypeIsNamed()
    {
        var view = Ml.Data.LoadFromEnumerable(new[] { new Row() });
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate(view, labelColumnName: "Score"));
        Assert.Contains("Column 'Score' must be a vector of keys", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate(view, boxColumnName: "Labels"));
        Assert.Contains("Column 'Labels' must be a vector of Single", e.Message);
    }

    [Fact]
    public void ABadRowNamesTheColumnAndTheRow()
    {
        var rows = new[]
        {
            new Row(),
            new Row { Labels = [1], Boxes = [0, 0, 10, 10], PredictedLabel = [1], PredictedBoundingBoxes = [0, 0, 10], Score = [0.5f] },
        };
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate(Ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal("PredictedBoundingBoxes", e.ParamName);
        Assert.Contains("Column 'PredictedBoundingBoxes', row 1: it has 3 values for 1 labels in 'PredictedLabel'", e.Message);
    }

    [Fact]
    public void AMissingKeyIsNamed()
    {
        var rows = new[] { new Row { Labels = [0], Boxes = [0, 0, 10, 10] } };
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionMetrics.Evaluate(Ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Column 'Labels', row 0: label 0 is -1", e.Message);
    }

    private sealed class Row
    {
        [KeyType(3)]
        public uint[] Labels { get; set; } = [];

        public float[] Boxes { get; set; } = [];

        [KeyType(3)]
        public uint[] PredictedLabel { get; set; } = [];

        public float[] PredictedBoundingBoxes { get; set; } = [];

        public float[] Score { get; set; } = [];
    }
}

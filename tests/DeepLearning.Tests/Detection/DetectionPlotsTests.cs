using DeepLearning.Tests.Analysis;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Transforms.Data.Scenes;
using Microsoft.ML;
using SkiaSharp;

namespace DeepLearning.Tests.Detection;

/// <summary>Precision/recall curves and detections drawn on images, written as PNG.</summary>
public class DetectionPlotsTests : TempDirectoryTest
{
    private static readonly MLContext Ml = new(seed: 1);

    /// <summary>Grey scenes (so every coloured pixel of the PNG is a box) with predictions: each object shifted by 2 pixels and scored 0.9, plus one false positive of class 0 (scored 0.6 unless given).</summary>
    private static (IReadOnlyList<Scene> Scenes, DetectionImage[] Detections) Scored(float falsePositiveScore = 0.6f)
    {
        var scenes = SceneGenerator.Generate(6, SceneItems.Shapes(), new SceneOptions { Size = 64, Channels = 1, Seed = 2 });
        var detections = scenes.Select(s => new DetectionImage(
            s.Boxes,
            s.Labels,
            [.. s.Boxes.Select((v, i) => i % 2 == 0 ? Math.Min(v + 2, 64) : v), 2, 2, 12, 12],
            [.. s.Labels, 0],
            [.. s.Labels.Select(_ => 0.9f), falsePositiveScore])).ToArray();
        return (scenes, detections);
    }

    private static int Pixels(string path, SKColor colour)
    {
        using var bitmap = SKBitmap.Decode(path);
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                count += Math.Abs(c.Red - colour.Red) + Math.Abs(c.Green - colour.Green) + Math.Abs(c.Blue - colour.Blue) < 60 ? 1 : 0;
            }
        }

        return count;
    }

    [Fact]
    public void PrecisionRecallCurvesArePlotted()
    {
        // False positives ranked first lower class 0's curve; the other classes stay at precision 1.
        var (_, detections) = Scored(falsePositiveScore: 0.95f);
        var evaluation = DetectionMetrics.Evaluate(detections, SceneItems.Shapes().ClassNames);
        Assert.InRange(evaluation.PerClass[0].AveragePrecision50, 0.2, 0.9);
        Assert.Equal(1.0, evaluation.PerClass[1].AveragePrecision50, 12);
        var path = Path.Combine(Dir, "pr.png");
        evaluation.WritePrecisionRecallPlot(path, new PlotOptions { Width = 640, Height = 480 });
        PngFile.AssertPlot(path, 640, 480);
    }

    [Fact]
    public void DetectionsAreDrawnInTheirColoursAboveTheScoreOnly()
    {
        var (scenes, detections) = Scored();
        var red = new SKColor(230, 40, 40);
        var green = new SKColor(40, 200, 60);
        var path = Path.Combine(Dir, "detections.png");
        DetectionPlots.Detections(scenes.Select(s => s.Pixels).ToArray(), [1, 64, 64], detections, SceneItems.Shapes().ClassNames, path, columns: 3, options: new PlotOptions { Width = 900, Height = 700 });
        PngFile.AssertPlot(path, 900, 700);
        var drawn = Pixels(path, red);
        Assert.True(drawn > 500, $"{drawn} pixels in the prediction colour");
        Assert.True(Pixels(path, green) > 300, "ground truth is drawn");

        // Above every score nothing predicted is drawn; between the two scores the false positives disappear.
        var none = Path.Combine(Dir, "none.png");
        DetectionPlots.Detections(scenes.Select(s => s.Pixels).ToArray(), [1, 64, 64], detections, SceneItems.Shapes().ClassNames, none, minScore: 2, columns: 3, options: new PlotOptions { Width = 900, Height = 700, Title = "none" });
        Assert.True(Pixels(none, red) < 20, "no prediction is drawn above every score");
        var fewer = Path.Combine(Dir, "fewer.png");
        DetectionPlots.Detections(scenes.Select(s => s.Pixels).ToArray(), [1, 64, 64], detections, SceneItems.Shapes().ClassNames, fewer, minScore: 0.7f, columns: 3, options: new PlotOptions { Width = 900, Height = 700 });
        Assert.InRange(Pixels(fewer, red), 100, drawn - 100);
    }

    [Fact]
    public void DetectionsOfAScoredViewAreDrawn()
    {
        var items = SceneItems.Shapes();
        var view = SceneGenerator.ToDataView(Ml, SceneGenerator.Generate(5, items, new SceneOptions { Size = 64, Seed = 3 }), items.ClassNames);
        var scored = TruthAsPredictions.Score(Ml, view, _ => 0.8f);
        var path = Path.Combine(Dir, "view.png");
        DetectionPlots.Detections(scored, path, count: 4, options: new PlotOptions { Width = 600, Height = 600 });
        PngFile.AssertPlot(path, 600, 600);

        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionPlots.Detections(scored, path, imageColumnName: "Mask"));
        Assert.Contains("Column 'Mask' must be a known-size vector of Single", e.Message);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var (scenes, detections) = Scored();
        var images = scenes.Select(s => s.Pixels).ToArray();
        var names = SceneItems.Shapes().ClassNames;
        var path = Path.Combine(Dir, "bad.png");
        var e = Assert.ThrowsAny<ArgumentException>(() => DetectionPlots.Detections(images, [1, 64, 64], detections[..2], names, path));
        Assert.Contains("6 images but 2 detections", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => DetectionPlots.Detections(images, [1, 64, 64], detections, names, path, minScore: float.NaN));
        Assert.Contains("minScore = NaN", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => DetectionPlots.Detections(images, [3, 64, 64], detections, names, path));
        Assert.Contains("images[0] has 4096 values", e.Message);
    }
}

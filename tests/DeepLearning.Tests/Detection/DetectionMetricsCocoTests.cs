using System.Text.Json;
using DeepLearning.Trainers.Analysis;
using Xunit.Abstractions;

namespace DeepLearning.Tests.Detection;

/// <summary>The evaluator against pycocotools' COCOeval on random cases (score ties, images without predictions or ground truth, a class without ground truth, an image over the 100-detection limit).</summary>
public class DetectionMetricsCocoTests(ITestOutputHelper output) : TempDirectoryTest
{
    private static readonly string[] Classes = ["a", "b", "c", "never"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchesCocoEval(int seed)
    {
        var images = RandomCase(seed);
        var groundTruth = Path.Combine(Dir, "gt.json");
        var results = Path.Combine(Dir, "results.json");
        WriteCoco(images, groundTruth, results);
        var line = PyCocoTools.TryEvaluate(groundTruth, results, out var skipped);
        if (line is null)
        {
            output.WriteLine(skipped);
            return;
        }

        using var coco = JsonDocument.Parse(line);
        var ours = DetectionMetrics.Evaluate(images, Classes);
        output.WriteLine($"COCOeval {line}; ours mAP@0.5 {ours.MeanAveragePrecision50:R}, mAP@[.5:.95] {ours.MeanAveragePrecision50To95:R}");
        Assert.Equal(coco.RootElement.GetProperty("map50").GetDouble(), ours.MeanAveragePrecision50, 1e-6);
        Assert.Equal(coco.RootElement.GetProperty("map50to95").GetDouble(), ours.MeanAveragePrecision50To95, 1e-6);
        for (var k = 0; k < Classes.Length; k++)
        {
            var ap50 = coco.RootElement.GetProperty("ap50")[k];
            if (ap50.ValueKind == JsonValueKind.Null)
            {
                Assert.True(double.IsNaN(ours.PerClass[k].AveragePrecision50), $"class {k} has no ground truth for COCOeval");
                continue;
            }

            Assert.Equal(ap50.GetDouble(), ours.PerClass[k].AveragePrecision50, 1e-6);
            Assert.Equal(coco.RootElement.GetProperty("ap50to95")[k].GetDouble(), ours.PerClass[k].AveragePrecision50To95, 1e-6);
        }

        // The case is not trivial: neither perfect nor empty.
        Assert.InRange(ours.MeanAveragePrecision50To95, 0.05, 0.95);
    }

    /// <summary>
    /// Jittered copies of most objects (some with a wrong class), random false positives, scores on a 0.1 grid (many
    /// ties), image 0 without predictions, image 1 without ground truth, class "never" without ground truth, and
    /// image 2 with 110 extra predictions of class 0 (over COCO's 100 per image and class).
    /// </summary>
    private static DetectionImage[] RandomCase(int seed)
    {
        var random = new Random(seed);
        float Score() => (float)Math.Round(random.NextDouble(), 1);
        float[] Box(double x, double y, double w, double h) => [(float)x, (float)y, (float)(x + w), (float)(y + h)];
        float[] RandomBox() => Box(random.NextDouble() * 100, random.NextDouble() * 100, 2 + (random.NextDouble() * 40), 2 + (random.NextDouble() * 40));
        var images = new DetectionImage[30];
        for (var i = 0; i < images.Length; i++)
        {
            List<float> boxes = [], predictedBoxes = [], scores = [];
            List<int> labels = [], predictedLabels = [];
            var objects = i == 1 ? 0 : random.Next(1, 6);
            for (var o = 0; o < objects; o++)
            {
                var box = RandomBox();
                var cls = random.Next(3);
                boxes.AddRange(box);
                labels.Add(cls);
                if (random.NextDouble() < 0.85)
                {
                    double w = box[2] - box[0], h = box[3] - box[1];
                    double Jitter(double size) => size * 0.15 * ((2 * random.NextDouble()) - 1);
                    predictedBoxes.AddRange(Box(box[0] + Jitter(w), box[1] + Jitter(h), w + Jitter(w), h + Jitter(h)));
                    predictedLabels.Add(random.NextDouble() < 0.1 ? random.Next(4) : cls);
                    scores.Add(Score());
                }
            }

            var extra = i == 2 ? 110 : random.Next(0, 4);
            for (var f = 0; f < extra; f++)
            {
                predictedBoxes.AddRange(RandomBox());
                predictedLabels.Add(i == 2 ? 0 : random.Next(4));
                scores.Add(Score());
            }

            images[i] = i == 0
                ? new DetectionImage([.. boxes], [.. labels], [], [], [])
                : new DetectionImage([.. boxes], [.. labels], [.. predictedBoxes], [.. predictedLabels], [.. scores]);
        }

        return images;
    }

    /// <summary>Writes the case in COCO's JSON formats: boxes as x, y, w, h (area w·h, not crowd), ids from 1.</summary>
    private static void WriteCoco(IReadOnlyList<DetectionImage> images, string groundTruthPath, string resultsPath)
    {
        static double[] Xywh(float[] boxes, int i) => [boxes[4 * i], boxes[(4 * i) + 1], (double)boxes[(4 * i) + 2] - boxes[4 * i], (double)boxes[(4 * i) + 3] - boxes[(4 * i) + 1]];
        var annotations = new List<object>();
        var results = new List<object>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            for (var o = 0; o < image.Labels.Length; o++)
            {
                var box = Xywh(image.Boxes, o);
                annotations.Add(new { id = annotations.Count + 1, image_id = i + 1, category_id = image.Labels[o] + 1, bbox = box, area = box[2] * box[3], iscrowd = 0 });
            }

            for (var p = 0; p < image.PredictedLabels.Length; p++)
            {
                results.Add(new { image_id = i + 1, category_id = image.PredictedLabels[p] + 1, bbox = Xywh(image.PredictedBoxes, p), score = (double)image.Scores[p] });
            }
        }

        var groundTruth = new
        {
            images = Enumerable.Range(1, images.Count).Select(id => new { id }),
            categories = Classes.Select((name, k) => new { id = k + 1, name }),
            annotations,
        };
        File.WriteAllText(groundTruthPath, JsonSerializer.Serialize(groundTruth));
        File.WriteAllText(resultsPath, JsonSerializer.Serialize(results));
    }
}

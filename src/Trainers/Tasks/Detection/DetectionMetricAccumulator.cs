using DeepLearning.Trainers.Analysis;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>mAP@0.5 over the images of an epoch: each batch's detections and ground truth are kept as arrays, and <see cref="DetectionMetrics"/> ranks them at the end.</summary>
internal sealed class DetectionMetricAccumulator(YoloLoss loss) : MetricAccumulator
{
    private readonly List<DetectionImage> _images = [];

    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var (boxes, scores, labels, count) = loss.Detect(output);
        var predictedBoxes = boxes.cpu().data<float>().ToArray();
        var predictedScores = scores.cpu().data<float>().ToArray();
        var predictedLabels = labels.cpu().data<long>().ToArray();
        var counts = count.cpu().data<long>().ToArray();
        var truth = target.cpu().data<float>().ToArray();
        long slots = scores.shape[1], targetSlots = target.shape[1];
        for (var i = 0; i < counts.Length; i++)
        {
            var n = (int)counts[i];
            var start = (int)(i * slots);
            var truthRow = truth.AsSpan((int)(i * targetSlots * DetectionLayout.TargetValues), (int)(targetSlots * DetectionLayout.TargetValues));
            var objects = new List<(int Label, float X1, float Y1, float X2, float Y2)>();
            for (var j = 0; j < targetSlots; j++)
            {
                var t = truthRow.Slice(j * DetectionLayout.TargetValues, DetectionLayout.TargetValues);
                if (t[0] >= 0)
                {
                    objects.Add(((int)t[0], t[1], t[2], t[3], t[4]));
                }
            }

            _images.Add(new DetectionImage(
                [.. objects.SelectMany(o => new[] { o.X1, o.Y1, o.X2, o.Y2 })],
                [.. objects.Select(o => o.Label)],
                predictedBoxes.AsSpan(start * 4, n * 4).ToArray(),
                [.. predictedLabels.AsSpan(start, n).ToArray().Select(l => (int)l)],
                predictedScores.AsSpan(start, n).ToArray()));
        }
    }

    public override double Compute() => _images.Count == 0 ? double.NaN : DetectionMetrics.Evaluate(_images, loss.ClassNames).MeanAveragePrecision50;
}

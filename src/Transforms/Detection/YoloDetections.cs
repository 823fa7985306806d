using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// A YOLO grid's detections, batched: decode every cell and anchor (<see cref="YoloGridDecoder"/>), score each
/// box as objectness × its most likely class's probability (softmax over the class scores), or with
/// <c>multiLabel</c> under every class as objectness × that class's probability, drop candidates under the
/// score threshold, clip to the input, greedy NMS per class (<see cref="NonMaxSuppression.KeepMask"/>), and keep
/// the best <c>maxDetections</c> of each image in decreasing order of score.
/// </summary>
internal static class YoloDetections
{
    /// <summary>Selects the detections of a batch of raw grids.</summary>
    /// <param name="output">The network's raw output <c>[N, A · (5 + C), Gh, Gw]</c>.</param>
    /// <param name="anchors">Anchor sizes in grid cells <c>[A, 2]</c>.</param>
    /// <param name="scoreThreshold">Boxes scoring below this are dropped.</param>
    /// <param name="iouThreshold">NMS drops a box overlapping a better one of its class with IoU above this.</param>
    /// <param name="maxDetections">Most detections per image (M).</param>
    /// <param name="multiLabel">Whether each box is a candidate under every class rather than its most likely one only.</param>
    /// <returns>
    /// Per image: corners normalised to the input and clipped to [0, 1], <c>[N, M, 4]</c>; scores <c>[N, M]</c>
    /// (decreasing); class indices <c>[N, M]</c> (int64); and how many of the M are detections, <c>[N]</c> (int64).
    /// Slots past the count hold zeros. M is <c>min(maxDetections, Gh·Gw·A)</c>, or <c>min(maxDetections, Gh·Gw·A·C)</c> with <paramref name="multiLabel"/>.
    /// </returns>
    public static (Tensor Boxes, Tensor Scores, Tensor Labels, Tensor Count) Select(Tensor output, Tensor anchors, double scoreThreshold, double iouThreshold, int maxDetections, bool multiLabel)
    {
        using var scope = NewDisposeScope();
        var cells = YoloGridDecoder.Cells(output, anchors.shape[0]);
        var boxes = YoloGridDecoder.Corners(cells, output.shape[^2], output.shape[^1], anchors).clamp(0, 1);
        var objectness = cells[TensorIndex.Ellipsis, YoloGridDecoder.Objectness].sigmoid();
        var classScores = cells[TensorIndex.Ellipsis, YoloGridDecoder.BoxValues..];
        var (probability, label) = classScores.shape[^1] == 0
            ? (ones_like(objectness), zeros_like(objectness, ScalarType.Int64))
            : classScores.softmax(-1).max(-1);
        if (multiLabel && classScores.shape[^1] > 0)
        {
            // Every (box, class) pair is a candidate: [N, K, C] flattened to [N, K·C], box-major.
            long classes = classScores.shape[^1];
            probability = classScores.softmax(-1).flatten(1);
            label = arange(classes, ScalarType.Int64, output.device).repeat(boxes.shape[1]).unsqueeze(0).expand(boxes.shape[0], -1);
            objectness = objectness.repeat_interleave(classes, 1);
            boxes = boxes.repeat_interleave(classes, 1);
        }

        var scores = objectness * probability;
        var candidate = scores.ge(scoreThreshold);
        var keep = NonMaxSuppression.KeepMask(boxes, scores, label, candidate, iouThreshold);
        var ranked = where(keep, scores, full_like(scores, -1));
        var m = (int)Math.Min(maxDetections, ranked.shape[1]);
        var (top, index) = ranked.topk(m, dim: 1);
        var kept = top.ge(0);
        var count = kept.sum(1, type: ScalarType.Int64);
        var chosenBoxes = boxes.gather(1, index.unsqueeze(-1).expand(-1, -1, 4)) * kept.unsqueeze(-1);
        var chosenScores = top.clamp_min(0);
        var chosenLabels = label.gather(1, index) * kept;
        return (chosenBoxes.MoveToOuterDisposeScope(), chosenScores.MoveToOuterDisposeScope(), chosenLabels.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope());
    }
}

using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// The loss and metric of <see cref="ObjectDetectionTask"/> for one bound layout (grid and anchors); the
/// terms and weights are documented on the task. Batched: the assignment of objects to cells and anchors,
/// the ignore rule and the three terms are tensor operations over the whole batch.
/// </summary>
internal sealed class YoloLoss(ObjectDetectionTask task, DetectionLayout layout) : ILossTask
{
    /// <summary>Largest tw, th fed to exp() when decoding for the loss, so an early wild prediction cannot overflow.</summary>
    private const double MaxLogScale = 8;

    /// <summary>Score threshold of the detections the metric ranks (low, as mAP wants the whole ranking).</summary>
    private const double MetricScoreThreshold = 0.01;

    /// <summary>The head this layout gives, for its anchors in grid cells (built once, not per batch).</summary>
    private readonly Transforms.Heads.ObjectDetectionHead _head = layout.CreateHead(task);

    /// <inheritdoc />
    public string MetricName => task.MetricName;

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        long batch = output.shape[0], slots = target.shape[1];
        int gridHeight = layout.GridHeight, gridWidth = layout.GridWidth, count = layout.AnchorCount;
        var cells = YoloGridDecoder.Cells(output.view(batch, -1, gridHeight, gridWidth), count);
        long candidates = cells.shape[1];
        var bounded = cat([cells[.., .., ..2], cells[.., .., 2..4].clamp_max(MaxLogScale), cells[.., .., 4..]], -1);
        var predicted = YoloGridDecoder.Corners(bounded, gridHeight, gridWidth, GridAnchors(output.device));
        var valid = target[.., .., 0].ge(0);
        var truth = target[.., .., 1..];

        // The anchor each object belongs to: its centre's cell and the anchor shape that overlaps it most.
        var centre = (truth[.., .., ..2] + truth[.., .., 2..]) / 2;
        var size = truth[.., .., 2..] - truth[.., .., ..2];
        var column = centre[.., .., 0].mul(gridWidth).floor().clamp(0, gridWidth - 1).to_type(ScalarType.Int64);
        var row = centre[.., .., 1].mul(gridHeight).floor().clamp(0, gridHeight - 1).to_type(ScalarType.Int64);
        var anchor = ShapeIou(size, NormalisedAnchors(output.device)).argmax(-1);
        var slot = (((row * gridWidth) + column) * count) + anchor;

        var objects = valid.reshape(-1).nonzero().squeeze(1);
        var image = objects.div(slots, rounding_mode: RoundingMode.floor);
        var responsible = (image * candidates) + slot.reshape(-1).index_select(0, objects);
        var assigned = zeros(batch * candidates, output.dtype, output.device).index_fill_(0, responsible, 1).view(batch, candidates);

        Tensor ignored;
        using (no_grad())
        {
            var overlap = BoxIou.Compute(predicted.unsqueeze(2), truth.unsqueeze(1), IouKind.Iou).nan_to_num(0);
            ignored = overlap.masked_fill(valid.unsqueeze(1).logical_not(), 0).amax(-1).gt(task.IgnoreThreshold);
        }

        var objectness = cells[.., .., YoloGridDecoder.Objectness];
        var bce = nn.functional.binary_cross_entropy_with_logits(objectness, assigned, reduction: nn.Reduction.None);
        var empty = assigned.eq(0).logical_and(ignored.logical_not()).to_type(output.dtype);
        var loss = (bce * assigned).sum().mul(task.ObjectWeight) + (bce * empty).sum().mul(task.NoObjectWeight);
        if (objects.shape[0] > 0)
        {
            var boxes = predicted.reshape(-1, 4).index_select(0, responsible);
            var truths = truth.reshape(-1, 4).index_select(0, objects);
            var boxLoss = (1 - BoxIou.Compute(boxes, truths, task.BoxLoss)).sum();
            var scores = cells.reshape(batch * candidates, -1).index_select(0, responsible)[.., YoloGridDecoder.BoxValues..];
            var classes = target[.., .., 0].reshape(-1).index_select(0, objects).to_type(ScalarType.Int64);
            var classLoss = nn.functional.cross_entropy(scores, classes, reduction: nn.Reduction.Sum);
            loss = loss + boxLoss.mul(task.BoxWeight) + classLoss.mul(task.ClassWeight);
        }

        return loss.div(batch).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public MetricAccumulator CreateMetric() => new DetectionMetricAccumulator(this);

    /// <summary>Detections of a batch of raw grids as the metric ranks them.</summary>
    internal (Tensor Boxes, Tensor Scores, Tensor Labels, Tensor Count) Detect(Tensor output)
    {
        using var scope = NewDisposeScope();
        var grid = output.view(output.shape[0], -1, layout.GridHeight, layout.GridWidth);
        var (boxes, scores, labels, count) = YoloDetections.Select(grid, GridAnchors(output.device), MetricScoreThreshold, task.IouThreshold, task.MaxDetections, task.MultiLabel);
        return (boxes.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope());
    }

    /// <summary>The class names the metric reports per class.</summary>
    internal IReadOnlyList<string> ClassNames
        => layout.Labels?.Values.Count == layout.ClassCount ? [.. layout.Labels.Values] : [.. Enumerable.Range(0, layout.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>IoU of sizes <c>[..., 2]</c> with every anchor <c>[A, 2]</c> as if centred together: <c>[..., A]</c>.</summary>
    private static Tensor ShapeIou(Tensor sizes, Tensor anchors)
    {
        var w = sizes[TensorIndex.Ellipsis, 0..1];
        var h = sizes[TensorIndex.Ellipsis, 1..2];
        var intersection = minimum(w, anchors[.., 0]) * minimum(h, anchors[.., 1]);
        return intersection / ((w * h) + (anchors[.., 0] * anchors[.., 1]) - intersection);
    }

    private Tensor GridAnchors(Device device) => _head.GridAnchors(device);

    private Tensor NormalisedAnchors(Device device)
        => tensor(layout.Anchors.Select((v, i) => i % 2 == 0 ? v / layout.InputWidth : v / layout.InputHeight).ToArray(), [layout.AnchorCount, 2], device: device);
}

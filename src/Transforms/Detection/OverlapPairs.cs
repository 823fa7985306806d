using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// The pairs of boxes (of one group) whose IoU is above a threshold, each pair once, without comparing every
/// box with every other. IoU above t needs the two boxes to overlap along x by more than t times either
/// width and along y by more than t times either height, so for boxes sorted by top edge their tops differ
/// by less than (1 − t) times the tallest height, and their left edges by less than (1 − t) times the wider
/// width. Boxes are cut into horizontal strips of that height by their top edge and sorted by (group, strip,
/// left edge); a box can only pair with the boxes of its own strip that follow it and start before
/// <c>right − t·width</c>, and with the boxes of the next strip whose left edge lies in
/// <c>[left − (1 − t)·maxWidth, right − t·width)</c>: two binary searches per box find both ranges. The IoU
/// (the same formula as <see cref="BoxIou"/>) is computed for those candidates only. The bounds are
/// loosened slightly so rounding never drops a pair; the exact IoU decides.
/// </summary>
internal static class OverlapPairs
{
    // Loosens the threshold used for the bounds (never the decision) against float32 rounding of the IoU.
    private const double BoundSlack = 1e-3;

    /// <summary>The overlapping pairs <c>(first[k], second[k])</c>, indices into <paramref name="boxes"/> <c>[N, 4]</c>.</summary>
    /// <param name="boxes">Corner boxes <c>[N, 4]</c>, validated.</param>
    /// <param name="groups">Group of each box <c>[N]</c> (non-negative integers), or <see langword="null"/>: one group.</param>
    /// <param name="iouThreshold">In [0, 1]; a pair is returned when its IoU is above it.</param>
    public static (Tensor First, Tensor Second) Find(Tensor boxes, Tensor? groups, double iouThreshold)
    {
        long n = boxes.shape[0];
        var device = boxes.device;
        var none = zeros(0, ScalarType.Int64, device);
        if (n < 2)
        {
            return (none, none);
        }

        var t = Math.Max(0, iouThreshold - BoundSlack);
        var edges = boxes.to_type(ScalarType.Float64);
        var (left, top, right, bottom) = Boxes.Split(edges);
        var width = right - left;
        var extent = stack([left.min(), top.min(), right.max() - left.min(), width.max(), (bottom - top).max()]).cpu().data<double>().ToArray();
        var (minLeft, minTop, spanX, maxWidth, maxHeight) = (extent[0], extent[1], extent[2], extent[3], extent[4]);

        // Strips of height (1 − t)·maxHeight: overlapping boxes lie in the same strip or adjacent ones. One
        // empty strip between groups keeps the next-strip search inside the group; a row of a strip spans
        // more than every left edge plus the widest window.
        var stripHeight = (1 - t) * maxHeight;
        var strip = stripHeight > 0 ? ((top - minTop) / stripHeight).floor() : zeros_like(top);
        var strips = strip.max().item<double>() + 2;
        var rowSpan = spanX + maxWidth + 1;
        var row = groups is null ? strip : (groups.to_type(ScalarType.Float64) * strips) + strip;
        var keyOf = (row * rowSpan) - minLeft;
        var order = (keyOf + left).argsort();
        var keys = (keyOf + left)[order].contiguous();
        var sortedRow = keyOf[order];
        var reach = (right - (width * t))[order];

        // Own strip: the following boxes starting before right − t·width. Next strip: boxes starting in
        // [left − (1 − t)·maxWidth, right − t·width).
        var position = arange(n, ScalarType.Int64, device);
        var ownEnd = searchsorted(keys, (sortedRow + reach).contiguous());
        var nextRow = sortedRow + rowSpan;
        var nextStart = searchsorted(keys, (nextRow + keys - sortedRow - ((1 - t) * maxWidth)).contiguous());
        var nextEnd = searchsorted(keys, (nextRow + reach).contiguous());
        var starts = cat([position + 1, nextStart]);
        var counts = (cat([ownEnd, nextEnd]) - starts).clamp_min(0);
        long total = counts.sum().item<long>();
        if (total == 0)
        {
            return (none, none);
        }

        // Pair k of range r is (source r, starts[r] + k − offset[r]): spread with one repeat_interleave.
        var offsets = counts.cumsum(0) - counts;
        var source = repeat_interleave(position.repeat(2), counts);
        var target = arange(total, ScalarType.Int64, device) + repeat_interleave(starts - offsets, counts);
        var overlapping = Iou(boxes.index_select(0, order), source, target).gt(iouThreshold).nonzero().squeeze(1);
        return (order[source[overlapping]], order[target[overlapping]]);
    }

    /// <summary>
    /// IoU of the pairs <c>(source[k], target[k])</c> of <paramref name="boxes"/>, as <see cref="BoxIou"/> computes it
    /// (same operations in the same order, so the same float32 values), gathering contiguous columns.
    /// </summary>
    private static Tensor Iou(Tensor boxes, Tensor source, Tensor target)
    {
        var columns = boxes.t().contiguous();
        var area = Boxes.CornerArea(boxes);
        var (a, b) = (columns.index_select(1, source), columns.index_select(1, target));
        var extent = minimum(a[2..], b[2..]) - maximum(a[..2], b[..2]);
        var intersection = extent[0].clamp_min(0) * extent[1].clamp_min(0);
        return intersection / (area.index_select(0, source) + area.index_select(0, target) - intersection);
    }
}

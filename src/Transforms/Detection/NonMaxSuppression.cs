using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Greedy non-maximum suppression written with tensor operations: boxes are sorted by score, and a box
/// is kept when no kept box of higher score (in the same group, when groups are given) overlaps it with
/// IoU above the threshold, which is torchvision's <c>nms</c> rule. The greedy decisions are reached as
/// the fixed point of a matrix iteration (Cluster-NMS, Zheng et al., 2021): start from every box kept;
/// repeatedly keep exactly the boxes that no currently kept, higher-scored box overlaps. After k rounds
/// the first k decisions are final, so it ends after at most the length of the longest suppression
/// chain plus one: usually a few rounds of one batched comparison over the IoU matrix, for all images at once.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>Indices of the boxes greedy NMS keeps, in decreasing order of score (as torchvision's <c>nms</c>).</summary>
    /// <param name="boxes">Boxes <c>[N, 4]</c>, corners (<see cref="BoxFormat.Xyxy"/>).</param>
    /// <param name="scores">Scores <c>[N]</c>.</param>
    /// <param name="iouThreshold">A box is dropped when it overlaps a kept, higher-scored box with IoU above this. In [0, 1].</param>
    /// <returns>Indices into <paramref name="boxes"/>, <c>[K]</c>, int64.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a box is inverted or not finite, or the threshold is outside [0, 1].</exception>
    public static Tensor Apply(Tensor boxes, Tensor scores, double iouThreshold) => Apply(boxes, scores, null, iouThreshold);

    /// <summary>
    /// NMS within groups (e.g. per class, or per image and class): boxes of different groups never suppress
    /// each other (torchvision's <c>batched_nms</c>). Indices of the kept boxes, in decreasing order of score.
    /// </summary>
    /// <param name="boxes">Boxes <c>[N, 4]</c>, corners.</param>
    /// <param name="scores">Scores <c>[N]</c>.</param>
    /// <param name="groups">Group of each box <c>[N]</c>, integers; <see langword="null"/>: one group (class-agnostic).</param>
    /// <param name="iouThreshold">In [0, 1].</param>
    /// <returns>Indices into <paramref name="boxes"/>, <c>[K]</c>, int64.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a box is inverted or not finite, or the threshold is outside [0, 1].</exception>
    public static Tensor Apply(Tensor boxes, Tensor scores, Tensor? groups, double iouThreshold)
    {
        Boxes.RequireCorners(boxes, nameof(boxes));
        RequireRows(boxes, scores, nameof(scores), 1);
        if (groups is not null)
        {
            RequireRows(boxes, groups, nameof(groups), 1);
        }

        RequireThreshold(iouThreshold);
        using var scope = NewDisposeScope();
        var order = scores.argsort(descending: true);
        var keep = KeepSorted(boxes[order].unsqueeze(0), groups?[order].unsqueeze(0), null, iouThreshold)[0];
        return order[keep].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NMS of a batch of images at once: which of each image's candidate boxes survive. Candidates that
    /// are not <paramref name="valid"/> (padding) neither survive nor suppress.
    /// </summary>
    /// <param name="boxes">Boxes <c>[B, N, 4]</c>, corners.</param>
    /// <param name="scores">Scores <c>[B, N]</c>.</param>
    /// <param name="groups">Group (class) of each box <c>[B, N]</c>, or <see langword="null"/> for class-agnostic NMS.</param>
    /// <param name="valid">Which candidates are real <c>[B, N]</c> booleans, or <see langword="null"/>: all.</param>
    /// <param name="iouThreshold">In [0, 1].</param>
    /// <returns>Booleans <c>[B, N]</c>: true where the box is kept.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a box is inverted or not finite, or the threshold is outside [0, 1].</exception>
    public static Tensor KeepMask(Tensor boxes, Tensor scores, Tensor? groups, Tensor? valid, double iouThreshold)
    {
        Boxes.RequireBoxes(boxes, nameof(boxes));
        if (boxes.dim() != 3)
        {
            throw new ArgumentException($"{nameof(boxes)} must have shape [B, N, 4]; it has [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        }

        Boxes.RequireCorners(boxes, nameof(boxes));
        RequireRows(boxes, scores, nameof(scores), 2);
        if (groups is not null)
        {
            RequireRows(boxes, groups, nameof(groups), 2);
        }

        if (valid is not null)
        {
            RequireRows(boxes, valid, nameof(valid), 2);
        }

        RequireThreshold(iouThreshold);
        using var scope = NewDisposeScope();
        var order = scores.argsort(dim: 1, descending: true);
        var sortedBoxes = boxes.gather(1, order.unsqueeze(-1).expand(-1, -1, 4));
        var keepSorted = KeepSorted(sortedBoxes, groups?.gather(1, order), valid?.gather(1, order), iouThreshold);
        return zeros_like(keepSorted).scatter_(1, order, keepSorted).MoveToOuterDisposeScope();
    }

    /// <summary>The greedy decisions for boxes already sorted by decreasing score, per image: <c>[B, N]</c> booleans.</summary>
    internal static Tensor KeepSorted(Tensor sortedBoxes, Tensor? sortedGroups, Tensor? sortedValid, double iouThreshold)
    {
        long n = sortedBoxes.shape[1];
        var keep = sortedValid?.to_type(ScalarType.Bool) ?? ones(sortedBoxes.shape[0], n, ScalarType.Bool, sortedBoxes.device);
        if (n == 0)
        {
            return keep;
        }

        // overlaps[b, i, j]: box i (higher score, i < j) would suppress box j.
        var overlaps = BoxIou.Compute(sortedBoxes.unsqueeze(2), sortedBoxes.unsqueeze(1), IouKind.Iou).gt(iouThreshold).triu(1);
        if (sortedGroups is not null)
        {
            overlaps = overlaps.logical_and(sortedGroups.unsqueeze(2).eq(sortedGroups.unsqueeze(1)));
        }

        var candidates = keep;
        for (long round = 0; round <= n; round++)
        {
            var suppressed = overlaps.logical_and(keep.unsqueeze(2)).any(1);
            var next = candidates.logical_and(suppressed.logical_not());
            if (next.eq(keep).all().item<bool>())
            {
                break;
            }

            keep = next;
        }

        return keep;
    }

    private static void RequireRows(Tensor boxes, Tensor other, string name, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(other, name);
        var expected = boxes.shape[..dimensions];
        if (other.dim() != dimensions || !other.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"{name} must have shape [{string.Join(", ", expected)}] (one value per box); it has [{string.Join(", ", other.shape)}].", name);
        }
    }

    private static void RequireThreshold(double iouThreshold)
        => Validation.OptionCheck.Require(iouThreshold is >= 0 and <= 1, iouThreshold, nameof(iouThreshold), "in [0, 1]");
}

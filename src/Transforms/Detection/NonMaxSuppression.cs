using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Greedy non-maximum suppression written with tensor operations: a box is kept when no kept box of higher
/// score (in the same group, when groups are given) overlaps it with IoU above the threshold, which is
/// torchvision's <c>nms</c> rule. Two steps, neither a loop over boxes:
/// <list type="number">
/// <item>Candidate pairs: sorted by group, horizontal strip and left edge, a box
/// can only reach IoU above the threshold with the boxes of its own and the next strip whose left edges lie in
/// a window found by binary search; IoU is computed for those pairs only, so sparse scenes cost about
/// N log N rather than N².</item>
/// <item>The greedy decisions, as the fixed point of an iteration over the overlapping pairs (Cluster-NMS,
/// Zheng et al., 2021): start from every box kept; repeatedly keep exactly the boxes that no currently kept,
/// higher-scored box overlaps. After k rounds the k best boxes' decisions are final, so it ends after at
/// most the length of the longest suppression chain plus one round.</item>
/// </list>
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
        var keep = Keep(boxes, Ranks(order), groups, null, iouThreshold);
        return order.masked_select(keep[order]).MoveToOuterDisposeScope();
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
        long images = boxes.shape[0], n = boxes.shape[1];
        var ranks = Ranks(scores.argsort(dim: 1, descending: true));
        var image = arange(images, ScalarType.Int64, boxes.device).unsqueeze(1).expand(images, n);
        var group = groups is null ? image : (image * (groups.max().item<long>() + 1)) + groups.to_type(ScalarType.Int64);
        var keep = Keep(boxes.reshape(-1, 4), ranks.reshape(-1), group.reshape(-1), valid?.reshape(-1), iouThreshold);
        return keep.reshape(images, n).MoveToOuterDisposeScope();
    }

    /// <summary>The greedy decisions <c>[N]</c> for boxes <c>[N, 4]</c> ranked by <paramref name="ranks"/> (0 is the best; boxes of one group have distinct ranks).</summary>
    internal static Tensor Keep(Tensor boxes, Tensor ranks, Tensor? groups, Tensor? valid, double iouThreshold)
    {
        long n = boxes.shape[0];
        var keep = valid?.to_type(ScalarType.Bool) ?? ones(n, ScalarType.Bool, boxes.device);
        var (first, second) = OverlapPairs.Find(boxes, groups, iouThreshold);
        if (first.shape[0] == 0)
        {
            return keep;
        }

        var firstWins = ranks[first].lt(ranks[second]);
        var winner = where(firstWins, first, second);
        var loser = where(firstWins, second, first);
        var candidates = keep;
        for (long round = 0; round <= n; round++)
        {
            var suppressed = zeros(n, ScalarType.Int32, boxes.device).index_add_(0, loser, keep[winner].to_type(ScalarType.Int32), 1);
            var next = candidates.logical_and(suppressed.eq(0));
            if (next.eq(keep).all().item<bool>())
            {
                break;
            }

            keep = next;
        }

        return keep;
    }

    /// <summary>The rank of every position given a descending order (per row for 2-D orders).</summary>
    private static Tensor Ranks(Tensor order)
    {
        var positions = arange(order.shape[^1], ScalarType.Int64, order.device).expand_as(order);
        return zeros_like(order).scatter_(-1, order, positions);
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

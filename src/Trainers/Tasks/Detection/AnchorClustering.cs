using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Anchor boxes for a YOLO head, chosen as YOLOv2 chose them: k-means over the widths and heights of the
/// training boxes with the distance 1 − IoU (boxes compared as if they shared a centre), so that large
/// boxes do not dominate as they would with Euclidean distance. Seeded k-means++ initialisation, then
/// Lloyd iterations (assign every box to the centroid it overlaps most, move each centroid to the mean
/// of its boxes) until no assignment changes. All of it is batched tensor work.
/// </summary>
public static class AnchorClustering
{
    /// <summary>Clusters box sizes into <paramref name="count"/> anchors.</summary>
    /// <param name="sizes">Width and height of each training box, <c>[N, 2]</c>, positive and finite (pixels or grid units: the anchors come out in the same unit).</param>
    /// <param name="count">Number of anchors; in [1, N].</param>
    /// <param name="seed">Seed of the k-means++ initialisation. Default 1.</param>
    /// <param name="maxIterations">Most Lloyd iterations. Default 300; at least 1.</param>
    /// <returns>The anchors, sorted by increasing area, and the mean IoU of each box with its best anchor.</returns>
    /// <exception cref="ArgumentException"><paramref name="sizes"/> is not <c>[N, 2]</c> or holds a non-positive or non-finite size (the message names the row).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="maxIterations"/> is out of range.</exception>
    public static AnchorSet Fit(Tensor sizes, int count, int seed = 1, int maxIterations = 300)
    {
        RequireSizes(sizes);
        OptionCheck.Require(count >= 1 && count <= sizes.shape[0], count, nameof(count), $"in [1, {sizes.shape[0]}] (the number of boxes)");
        OptionCheck.Require(maxIterations >= 1, maxIterations, nameof(maxIterations), "at least 1");
        using var scope = NewDisposeScope();
        var boxes = sizes.to_type(ScalarType.Float64).cpu();
        var centroids = InitialCentroids(boxes, count, seed);
        Tensor? assignment = null;
        int iterations = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            var next = Iou(boxes, centroids).argmax(1);
            if (assignment is not null && next.eq(assignment).all().item<bool>())
            {
                break;
            }

            assignment = next;
            var sums = zeros(count, 2, ScalarType.Float64).index_add_(0, assignment, boxes, 1);
            var members = zeros(count, ScalarType.Float64).index_add_(0, assignment, ones(boxes.shape[0], ScalarType.Float64), 1).unsqueeze(1);

            // A centroid that lost every box keeps its place.
            centroids = where(members.gt(0), sums / members.clamp_min(1), centroids);
        }

        var order = (centroids[.., 0] * centroids[.., 1]).argsort();
        centroids = centroids[order];
        double meanIou = Iou(boxes, centroids).amax(1).mean().item<double>();
        var anchors = Enumerable.Range(0, count).Select(i => (centroids[i, 0].item<double>(), centroids[i, 1].item<double>())).ToArray();
        return new AnchorSet(anchors, meanIou, iterations);
    }

    /// <summary>IoU of every box with every centroid as if they shared a centre: <c>[N, K]</c>.</summary>
    internal static Tensor Iou(Tensor boxes, Tensor centroids)
    {
        var w = boxes[.., 0].unsqueeze(1);
        var h = boxes[.., 1].unsqueeze(1);
        var cw = centroids[.., 0].unsqueeze(0);
        var ch = centroids[.., 1].unsqueeze(0);
        var intersection = minimum(w, cw) * minimum(h, ch);
        return intersection / ((w * h) + (cw * ch) - intersection);
    }

    /// <summary>k-means++: the first centroid uniformly, each next one with probability proportional to its squared distance (1 − IoU) to the nearest chosen.</summary>
    private static Tensor InitialCentroids(Tensor boxes, int count, int seed)
    {
        var generator = new Generator((ulong)seed);
        long n = boxes.shape[0];
        var chosen = new List<long> { randint(0, n, [1], generator: generator).item<long>() };
        while (chosen.Count < count)
        {
            var distance = 1 - Iou(boxes, boxes[tensor(chosen.ToArray())]).amax(1);
            var weights = distance.square();
            chosen.Add(weights.sum().item<double>() > 0
                ? multinomial(weights, 1, generator: generator).item<long>()
                : randint(0, n, [1], generator: generator).item<long>());
        }

        return boxes[tensor(chosen.ToArray())].clone();
    }

    private static void RequireSizes(Tensor sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.dim() != 2 || sizes.shape[1] != 2 || sizes.shape[0] == 0)
        {
            throw new ArgumentException($"{nameof(sizes)} must hold the width and height of at least one box, shape [N, 2]; it has [{string.Join(", ", sizes.shape)}].", nameof(sizes));
        }

        using var scope = NewDisposeScope();
        var values = sizes.to_type(ScalarType.Float64);
        var bad = values.isfinite().logical_and(values.gt(0)).all(1).logical_not().nonzero();
        if (bad.shape[0] > 0)
        {
            long row = bad[0, 0].item<long>();
            throw new ArgumentException($"{nameof(sizes)}: box {row} has width {values[row, 0].item<double>()} and height {values[row, 1].item<double>()}; anchors need positive, finite sizes.", nameof(sizes));
        }
    }
}

/// <summary>Anchors found by <see cref="AnchorClustering.Fit"/>.</summary>
/// <param name="Anchors">Width and height of each anchor, by increasing area, in the unit of the sizes given.</param>
/// <param name="MeanIou">Mean over the boxes of the IoU with their best anchor (YOLOv2's "Avg IOU"): how well the anchors cover the data.</param>
/// <param name="Iterations">Lloyd iterations run.</param>
public sealed record AnchorSet(IReadOnlyList<(double Width, double Height)> Anchors, double MeanIou, int Iterations);

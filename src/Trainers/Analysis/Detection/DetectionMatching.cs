namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// COCO's greedy matching of one image's predictions of one class to its ground truth of that class, at every
/// IoU threshold: predictions in decreasing score order (ties: the earlier prediction first), each taking the
/// unmatched ground truth with the highest IoU ≥ the threshold (ties in IoU: the later ground truth, as COCOeval),
/// each ground truth taken at most once. IoU is computed in double precision, as COCO's.
/// </summary>
internal static class DetectionMatching
{
    /// <summary>Matches the predictions of class <paramref name="cls"/> in one image and adds them to <paramref name="ranked"/>.</summary>
    /// <param name="image">The image (validated).</param>
    /// <param name="imageIndex">Its position, which breaks score ties between images.</param>
    /// <param name="cls">The class.</param>
    /// <param name="maxDetections">At most this many of the class's highest-scoring predictions in the image are kept.</param>
    /// <param name="thresholds">The IoU thresholds.</param>
    /// <param name="ranked">Receives one entry per kept prediction.</param>
    /// <returns>The number of ground-truth objects of the class in the image.</returns>
    public static int Match(DetectionImage image, int imageIndex, int cls, int maxDetections, IReadOnlyList<double> thresholds, List<RankedDetection> ranked)
    {
        var truths = Indices(image.Labels, cls);
        var predictions = Indices(image.PredictedLabels, cls)
            .OrderByDescending(p => image.Scores[p])
            .Take(maxDetections)
            .ToArray();
        var iou = new double[predictions.Length, truths.Length];
        for (var d = 0; d < predictions.Length; d++)
        {
            for (var g = 0; g < truths.Length; g++)
            {
                iou[d, g] = Iou(image.PredictedBoxes, predictions[d], image.Boxes, truths[g]);
            }
        }

        var matched = new bool[predictions.Length][];
        for (var d = 0; d < predictions.Length; d++)
        {
            matched[d] = new bool[thresholds.Count];
        }

        for (var t = 0; t < thresholds.Count; t++)
        {
            var taken = new bool[truths.Length];
            for (var d = 0; d < predictions.Length; d++)
            {
                var best = thresholds[t];
                var match = -1;
                for (var g = 0; g < truths.Length; g++)
                {
                    if (!taken[g] && iou[d, g] >= best)
                    {
                        best = iou[d, g];
                        match = g;
                    }
                }

                if (match >= 0)
                {
                    taken[match] = true;
                    matched[d][t] = true;
                }
            }
        }

        for (var d = 0; d < predictions.Length; d++)
        {
            ranked.Add(new RankedDetection(image.Scores[predictions[d]], imageIndex, predictions[d], matched[d]));
        }

        return truths.Length;
    }

    /// <summary>IoU of two corner boxes in double precision; 0 when they do not overlap (so two empty boxes give 0, not NaN).</summary>
    internal static double Iou(float[] first, int i, float[] second, int j)
    {
        double ax1 = first[4 * i], ay1 = first[(4 * i) + 1], ax2 = first[(4 * i) + 2], ay2 = first[(4 * i) + 3];
        double bx1 = second[4 * j], by1 = second[(4 * j) + 1], bx2 = second[(4 * j) + 2], by2 = second[(4 * j) + 3];
        var width = Math.Min(ax2, bx2) - Math.Max(ax1, bx1);
        var height = Math.Min(ay2, by2) - Math.Max(ay1, by1);
        if (width <= 0 || height <= 0)
        {
            return 0;
        }

        var intersection = width * height;
        return intersection / (((ax2 - ax1) * (ay2 - ay1)) + ((bx2 - bx1) * (by2 - by1)) - intersection);
    }

    private static int[] Indices(int[] labels, int cls)
    {
        var found = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == cls)
            {
                found.Add(i);
            }
        }

        return [.. found];
    }
}

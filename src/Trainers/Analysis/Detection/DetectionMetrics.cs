using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Evaluates a detector as COCO does (pycocotools' <c>COCOeval</c> for boxes, area range "all"): mAP@0.5,
/// mAP@[0.5:0.95] and per-class AP with 101-point interpolated precision.
/// </summary>
/// <remarks>
/// <para>Per image and class, predictions are taken in decreasing score order (at most
/// <c>maxDetections</c> of them) and each is matched to the unmatched ground truth of its class with the
/// highest IoU ≥ the threshold; it is then a true positive, otherwise a false positive. Each ground truth is
/// matched at most once, so a second prediction on one object is a false positive.</para>
/// <para>Per class, the predictions of all images are ranked by decreasing score. Ties are broken
/// deterministically as COCO's stable sort does: the earlier image first, then the earlier prediction within
/// the image. The precision is made monotone from the right and sampled at recall 0, 0.01, …, 1 (0 past the
/// highest recall reached); AP is the mean of those 101 values.</para>
/// <para>A class without ground truth has no AP (NaN) and is left out of the means, as in COCO, even when it
/// has predictions: those false positives do not lower the mAP. An image without predictions adds its
/// ground truth as misses; an image without ground truth adds its predictions as false positives.</para>
/// </remarks>
public static class DetectionMetrics
{
    /// <summary>COCO's limit of predictions per image (applied per image and class, as COCOeval does with categories).</summary>
    public const int DefaultMaxDetections = 100;

    /// <summary>The IoU thresholds 0.50, 0.55, …, 0.95, computed as NumPy's <c>linspace(0.5, 0.95, 10)</c> (as COCOeval does); the first is mAP@0.5's.</summary>
    public static IReadOnlyList<double> IouThresholds { get; } = Linspace(0.5, 0.95, 10);

    /// <summary>Evaluates a scored view in ML.NET's object-detection layout; each row is one image.</summary>
    /// <param name="scored">The view: ground truth and predictions per row.</param>
    /// <param name="labelColumnName">Ground-truth classes: a vector of keys, one per object, variable length. Its key count is the class count; its key values, when present, name the classes.</param>
    /// <param name="boxColumnName">Ground-truth boxes: a vector of Single, 4 per object (x1, y1, x2, y2), variable length.</param>
    /// <param name="predictedLabelColumnName">Predicted classes: a vector of keys of the same key count, one per prediction.</param>
    /// <param name="scoreColumnName">Scores: a vector of Single, one per prediction.</param>
    /// <param name="predictedBoxColumnName">Predicted boxes: a vector of Single, 4 per prediction, in the unit of the ground truth.</param>
    /// <param name="maxDetections">At most this many highest-scoring predictions per image and class are evaluated. Default 100 (COCO's); must be positive.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or a row is inconsistent (counts, negative size, non-finite score); the message names the column, row and value.</exception>
    public static DetectionEvaluation Evaluate(
        IDataView scored,
        string labelColumnName = "Labels",
        string boxColumnName = "Boxes",
        string predictedLabelColumnName = "PredictedLabel",
        string scoreColumnName = "Score",
        string predictedBoxColumnName = "PredictedBoundingBoxes",
        int maxDetections = DefaultMaxDetections)
    {
        OptionCheck.Require(maxDetections > 0, maxDetections, nameof(maxDetections), "positive");
        var columns = new DetectionColumns(boxColumnName, labelColumnName, predictedBoxColumnName, predictedLabelColumnName, scoreColumnName);
        var (images, classNames) = DetectionRows.Read(scored, columns);
        return Compute(images, classNames, maxDetections, columns);
    }

    /// <summary>Evaluates images given as arrays (no ML.NET view needed).</summary>
    /// <param name="images">The images, each with its ground truth and predictions.</param>
    /// <param name="classNames">The class names; their count is the class count (labels are indices into them).</param>
    /// <param name="maxDetections">At most this many highest-scoring predictions per image and class are evaluated. Default 100 (COCO's); must be positive.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">An image is inconsistent (counts, negative size, class out of range, non-finite score); the message names the array, image and value.</exception>
    public static DetectionEvaluation Evaluate(IReadOnlyList<DetectionImage> images, IReadOnlyList<string> classNames, int maxDetections = DefaultMaxDetections)
    {
        ArgumentNullException.ThrowIfNull(images);
        OptionCheck.RequireNames(classNames, nameof(classNames));
        OptionCheck.Require(maxDetections > 0, maxDetections, nameof(maxDetections), "positive");
        return Compute(images, classNames, maxDetections, DetectionColumns.Properties);
    }

    /// <summary>NumPy's <c>linspace(start, stop, count)</c> bit for bit: <c>start + i·step</c>, the last value exactly <paramref name="stop"/>.</summary>
    internal static double[] Linspace(double start, double stop, int count)
    {
        var step = (stop - start) / (count - 1);
        var values = Enumerable.Range(0, count).Select(i => (i * step) + start).ToArray();
        values[^1] = stop;
        return values;
    }

    private static DetectionEvaluation Compute(IReadOnlyList<DetectionImage> images, IReadOnlyList<string> classNames, int maxDetections, DetectionColumns columns)
    {
        for (var i = 0; i < images.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(images[i], $"images[{i}]");
            images[i].Validate(i, classNames.Count, columns);
        }

        var perClass = Enumerable.Range(0, classNames.Count).Select(c => OneClass(images, c, classNames[c], maxDetections)).ToArray();
        var evaluated = perClass.Where(c => c.GroundTruthCount > 0).ToArray();
        return evaluated.Length == 0
            ? new DetectionEvaluation(double.NaN, double.NaN, perClass)
            : new DetectionEvaluation(evaluated.Average(c => c.AveragePrecision50), evaluated.Average(c => c.AveragePrecision50To95), perClass);
    }

    private static ClassAveragePrecision OneClass(IReadOnlyList<DetectionImage> images, int cls, string name, int maxDetections)
    {
        var ranked = new List<RankedDetection>();
        var groundTruth = 0;
        for (var i = 0; i < images.Count; i++)
        {
            groundTruth += DetectionMatching.Match(images[i], i, cls, maxDetections, IouThresholds, ranked);
        }

        if (groundTruth == 0)
        {
            return new ClassAveragePrecision(name, 0, ranked.Count, double.NaN, double.NaN, null);
        }

        // Decreasing score; ties: earlier image, then earlier prediction (COCO's stable sort over images in order).
        var order = ranked.OrderByDescending(d => d.Score).ThenBy(d => d.Image).ThenBy(d => d.Index).ToArray();
        var curves = Enumerable.Range(0, IouThresholds.Count).Select(t => PrecisionRecallCurve.Build(order, t, groundTruth)).ToArray();
        return new ClassAveragePrecision(name, groundTruth, ranked.Count, curves[0].AveragePrecision, curves.Average(c => c.AveragePrecision), curves[0]);
    }
}

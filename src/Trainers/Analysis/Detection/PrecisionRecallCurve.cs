namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// The precision/recall curve of one class at one IoU threshold: one point per prediction of the class, in
/// ranking order (decreasing score), and COCO's 101-point interpolated precision that its average precision
/// averages.
/// </summary>
/// <param name="Scores">Score of the prediction at each rank.</param>
/// <param name="Recall">True positives among the first k predictions over the ground-truth count, for k = 1 … M.</param>
/// <param name="Precision">True positives among the first k predictions over k, for k = 1 … M (not interpolated).</param>
/// <param name="InterpolatedPrecision">At each of the 101 recall levels 0, 0.01, …, 1 (<see cref="RecallLevels"/>): the highest precision at any rank whose recall reaches that level; 0 where no rank does.</param>
public sealed record PrecisionRecallCurve(float[] Scores, double[] Recall, double[] Precision, double[] InterpolatedPrecision)
{
    /// <summary>Number of recall levels of the interpolated precision (COCO's 101).</summary>
    public const int RecallLevelCount = 101;

    /// <summary>The recall levels 0, 0.01, …, 1 of <see cref="InterpolatedPrecision"/>, computed as NumPy's <c>linspace(0, 1, 101)</c> (as COCOeval does).</summary>
    public static IReadOnlyList<double> RecallLevels { get; } = DetectionMetrics.Linspace(0, 1, RecallLevelCount);

    /// <summary>The average precision: the mean of <see cref="InterpolatedPrecision"/>.</summary>
    public double AveragePrecision => InterpolatedPrecision.Average();

    /// <summary>Builds the curve of ranked predictions.</summary>
    /// <param name="ranked">The class's predictions over all images, in ranking order.</param>
    /// <param name="threshold">Index of the IoU threshold.</param>
    /// <param name="groundTruth">The class's ground-truth count; greater than 0.</param>
    internal static PrecisionRecallCurve Build(IReadOnlyList<RankedDetection> ranked, int threshold, int groundTruth)
    {
        var n = ranked.Count;
        var recall = new double[n];
        var precision = new double[n];
        var truePositives = 0;
        for (var k = 0; k < n; k++)
        {
            truePositives += ranked[k].Matched[threshold] ? 1 : 0;
            recall[k] = (double)truePositives / groundTruth;
            precision[k] = (double)truePositives / (k + 1);
        }

        // Precision made monotone from the right: at each rank, the best precision at this or any later rank.
        var envelope = (double[])precision.Clone();
        for (var k = n - 1; k > 0; k--)
        {
            envelope[k - 1] = Math.Max(envelope[k - 1], envelope[k]);
        }

        // At each recall level, the envelope at the first rank whose recall reaches it (0 past the last rank).
        var interpolated = new double[RecallLevelCount];
        var rank = 0;
        for (var r = 0; r < RecallLevelCount; r++)
        {
            while (rank < n && recall[rank] < RecallLevels[r])
            {
                rank++;
            }

            interpolated[r] = rank < n ? envelope[rank] : 0;
        }

        return new PrecisionRecallCurve(ranked.Select(d => d.Score).ToArray(), recall, precision, interpolated);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.Shared;

/// <summary>Compares the class scores of two models on the same rows.</summary>
internal static class ScoreComparison
{
    /// <summary>Largest score difference counted as the same prediction.</summary>
    private const double Tolerance = 1e-5;

    /// <summary>Counts the rows whose predicted class or any score (beyond <see cref="Tolerance"/>) differ; extra rows on either side count as differing.</summary>
    /// <param name="scored">Rows scored by the first model, with a <c>Score</c> vector column.</param>
    /// <param name="otherScored">The same rows scored by the second model.</param>
    /// <returns>The differing rows, the rows of <paramref name="scored"/>, and the largest score difference.</returns>
    public static (int Mismatches, int Rows, double MaxDifference) Compare(IDataView scored, IDataView otherScored)
    {
        var scores = Scores(scored);
        var otherScores = Scores(otherScored);
        int mismatches = Math.Abs(scores.Length - otherScores.Length);
        double maxDifference = 0;
        for (int i = 0; i < Math.Min(scores.Length, otherScores.Length); i++)
        {
            var (a, b) = (scores[i], otherScores[i]);
            double difference = a.Length == b.Length ? a.Zip(b, (x, y) => (double)Math.Abs(x - y)).DefaultIfEmpty().Max() : double.PositiveInfinity;
            maxDifference = Math.Max(maxDifference, difference);
            if (difference > Tolerance || ArgMax(a) != ArgMax(b))
            {
                mismatches++;
            }
        }

        return (mismatches, scores.Length, maxDifference);
    }

    private static float[][] Scores(IDataView scored)
        => scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }
}

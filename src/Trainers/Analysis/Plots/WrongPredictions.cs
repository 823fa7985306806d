namespace DeepLearning.Trainers.Analysis;

/// <summary>Picks the misclassified rows a model was most sure about.</summary>
internal static class WrongPredictions
{
    /// <summary>The rows whose prediction differs from the truth, highest score first (ties: lower row first), at most <paramref name="count"/>.</summary>
    /// <param name="truth">True class of each row (any comparable identity: index or name).</param>
    /// <param name="predicted">Predicted class of each row.</param>
    /// <param name="scores">Score of the predicted class of each row.</param>
    /// <param name="count">How many rows to return at most.</param>
    /// <typeparam name="T">The class identity.</typeparam>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static int[] MostConfident<T>(IReadOnlyList<T> truth, IReadOnlyList<T> predicted, IReadOnlyList<float> scores, int count)
    {
        if (truth.Count != predicted.Count || truth.Count != scores.Count)
        {
            throw new ArgumentException(
                $"trueLabels, predictedLabels and scores must have one entry per row; they have {truth.Count}, {predicted.Count} and {scores.Count}.",
                nameof(scores));
        }

        var comparer = EqualityComparer<T>.Default;
        return Enumerable.Range(0, truth.Count)
            .Where(i => !comparer.Equals(truth[i], predicted[i]))
            .OrderByDescending(i => float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i])
            .ThenBy(i => i)
            .Take(count)
            .ToArray();
    }
}

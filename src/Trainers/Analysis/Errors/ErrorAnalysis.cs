using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Error analysis of a classifier from its scored view: the confusion matrix, the rows with the
/// highest loss, the tag sheet of the spreadsheet method, and learning curves against training-set size.
/// </summary>
public static class ErrorAnalysis
{
    /// <summary>A probability this small or smaller counts as this small in a loss, so a zero stays finite.</summary>
    private const double ProbabilityFloor = 1e-12;

    /// <summary>The confusion counts (and row-normalised fractions) of a view scored by a multiclass model; class names come from the label's key values. Rows with a missing label or prediction are left out.</summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="labelColumnName">Key column of the true classes. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Key column of the predicted classes, or text naming them (after <c>MapKeyToValue</c>). Default <c>PredictedLabel</c>.</param>
    /// <returns>The table; <see cref="ConfusionTable.WritePlot"/> draws it.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type.</exception>
    public static ConfusionTable Confusion(IDataView scored, string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
        => ConfusionTable.FromScored(scored, labelColumnName, predictedLabelColumnName);

    /// <summary>The rows with the highest cross-entropy loss, −ln p(true class), highest first (ties: lower row first); rows without a label are left out.</summary>
    /// <param name="scored">A view scored by a multiclass model whose score vector holds class probabilities (softmax), as ours and ML.NET's multiclass trainers give.</param>
    /// <param name="count">How many rows at most. Default 10; must be positive.</param>
    /// <param name="labelColumnName">Key column of the true classes. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Key column of the predicted classes, or text naming them. Default <c>PredictedLabel</c>.</param>
    /// <param name="scoreColumnName">Score vector, one probability per class. Default <c>Score</c>.</param>
    /// <returns>The rows, highest loss first.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or <paramref name="count"/> is not positive.</exception>
    public static IReadOnlyList<TopLoss> TopLosses(
        IDataView scored,
        int count = 10,
        string labelColumnName = "Label",
        string predictedLabelColumnName = "PredictedLabel",
        string scoreColumnName = "Score")
    {
        OptionCheck.Require(count > 0, count, nameof(count), "positive");
        var rows = ScoredRows.Read(scored, labelColumnName, predictedLabelColumnName, scoreColumnName, features: null);
        string Name(int index) => index >= 0 ? rows.ClassNames[index] : string.Empty;
        return Enumerable.Range(0, rows.Truth.Length)
            .Where(i => rows.Truth[i] >= 0 && !float.IsNaN(rows.TrueScores[i]))
            .Select(i => (Row: i, Loss: -Math.Log(Math.Max(rows.TrueScores[i], ProbabilityFloor))))
            .OrderByDescending(r => r.Loss)
            .ThenBy(r => r.Row)
            .Take(count)
            .Select(r => new TopLoss(r.Row, Name(rows.Truth[r.Row]), Name(rows.Predicted[r.Row]), rows.TrueScores[r.Row], r.Loss))
            .ToArray();
    }

    /// <summary>A tag sheet over the misclassified rows of a scored classifier view (see <see cref="ErrorTagSheet"/>): labels compare by key value, as in <see cref="ErrorDiagnosis.ErrorRate"/>.</summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="tags">The tag set; non-empty, distinct, non-blank.</param>
    /// <param name="labelColumnName">Column of the true labels. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Column of the predicted labels. Default <c>PredictedLabel</c>.</param>
    /// <returns>The sheet, with no row examined yet.</returns>
    /// <exception cref="ArgumentException">A column is missing, the tag set is empty or repeats a tag, or no row is labelled.</exception>
    public static ErrorTagSheet TagSheet(IDataView scored, IEnumerable<string> tags, string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(scored);
        return new ErrorTagSheet(
            tags,
            ColumnText.Read(scored, labelColumnName, nameof(labelColumnName)),
            ColumnText.Read(scored, predictedLabelColumnName, nameof(predictedLabelColumnName)));
    }

    /// <summary>
    /// Learning curves against training-set size: fits a fresh estimator on growing random subsets of
    /// the training data (each containing the smaller ones) and measures the error rate on that subset
    /// and on the dev set.
    /// </summary>
    /// <param name="trainSet">The training data; must have rows.</param>
    /// <param name="devSet">The dev data; must have labelled rows.</param>
    /// <param name="estimatorFactory">Makes the pipeline to fit, once per size; its output has the label and predicted-label columns.</param>
    /// <param name="sizes">Training-set sizes, strictly increasing, each in [1, rows of <paramref name="trainSet"/>]. Default: 1/16, 1/8, 1/4, 1/2 and all of the rows.</param>
    /// <param name="labelColumnName">Column of the true labels after the pipeline. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Column of the predicted labels. Default <c>PredictedLabel</c>.</param>
    /// <param name="seed">Seed of the random order that picks the subsets. Default 0.</param>
    /// <returns>The curve.</returns>
    /// <exception cref="ArgumentException">The data is empty or a size is out of range or out of order.</exception>
    public static TrainingSizeCurve LearningCurve(
        IDataView trainSet,
        IDataView devSet,
        Func<IEstimator<ITransformer>> estimatorFactory,
        IReadOnlyList<int>? sizes = null,
        string labelColumnName = "Label",
        string predictedLabelColumnName = "PredictedLabel",
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(trainSet);
        ArgumentNullException.ThrowIfNull(devSet);
        ArgumentNullException.ThrowIfNull(estimatorFactory);
        var rows = DataRows.Count(trainSet);
        if (rows == 0)
        {
            throw new ArgumentException("The trainSet has no rows.", nameof(trainSet));
        }

        var plan = sizes?.ToArray() ?? [.. new[] { 16, 8, 4, 2, 1 }.Select(d => Math.Max(1, rows / d)).Distinct()];
        OptionCheck.Require(
            plan.Length > 0 && plan.All(s => s >= 1 && s <= rows) && plan.Zip(plan.Skip(1)).All(p => p.First < p.Second),
            "[" + string.Join(", ", plan) + "]",
            nameof(sizes),
            $"a non-empty, strictly increasing list of sizes in [1, {rows}]");

        // A random rank per row: the first n ranks form the subset of size n, so subsets are nested.
        var rank = new int[rows];
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        for (var r = 0; r < rows; r++)
        {
            rank[order[r]] = r;
        }

        var points = new List<TrainingSizePoint>();
        foreach (var size in plan)
        {
            var subset = new RowSelectionView(trainSet, Array.ConvertAll(rank, r => r < size));
            var model = estimatorFactory().Fit(subset);
            try
            {
                points.Add(new TrainingSizePoint(
                    size,
                    ErrorDiagnosis.ErrorRate(model.Transform(subset), labelColumnName, predictedLabelColumnName),
                    ErrorDiagnosis.ErrorRate(model.Transform(devSet), labelColumnName, predictedLabelColumnName)));
            }
            finally
            {
                Release(model);
            }
        }

        return new TrainingSizeCurve(points);
    }

    /// <summary>Frees the networks a fitted pipeline holds (TorchSharp memory is not the garbage collector's).</summary>
    private static void Release(ITransformer model)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain : [model];
        foreach (var part in parts.OfType<NetworkPredictionTransformer>())
        {
            part.Dispose();
        }
    }
}

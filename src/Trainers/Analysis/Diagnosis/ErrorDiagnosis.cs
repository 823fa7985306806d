using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// The bias / variance / data-mismatch diagnosis of "structuring ML projects": from a human-level
/// error (the proxy for the Bayes error) and the errors on the train, train-dev, dev and test sets it
/// computes avoidable bias (train − human), variance (train-dev − train), data mismatch
/// (dev − train-dev) and overfitting to dev (test − dev), and recommends what to do about the largest.
/// Errors are fractions in [0, 1] (e.g. 1 − accuracy).
/// </summary>
public sealed class ErrorDiagnosis
{
    private ErrorDiagnosis(double humanError, double trainError, double? trainDevError, double devError, double? testError)
    {
        HumanError = humanError;
        TrainError = trainError;
        TrainDevError = trainDevError;
        DevError = devError;
        TestError = testError;
        List<DiagnosisGap> gaps = [new(DiagnosisProblem.AvoidableBias, trainError - humanError)];
        if (trainDevError is { } td)
        {
            gaps.Add(new(DiagnosisProblem.Variance, td - trainError));
            gaps.Add(new(DiagnosisProblem.DataMismatch, devError - td));
        }
        else
        {
            gaps.Add(new(DiagnosisProblem.VarianceOrDataMismatch, devError - trainError));
        }

        if (testError is { } test)
        {
            gaps.Add(new(DiagnosisProblem.DevOverfitting, test - devError));
        }

        Gaps = gaps;
        var largest = gaps.MaxBy(g => g.Size)!;
        LargestGap = largest.Size > 0 ? largest : null;
    }

    /// <summary>The human-level error, the proxy for the Bayes (lowest achievable) error.</summary>
    public double HumanError { get; }

    /// <summary>The error on the training set.</summary>
    public double TrainError { get; }

    /// <summary>The error on the train-dev set, or <see langword="null"/> when there is none.</summary>
    public double? TrainDevError { get; }

    /// <summary>The error on the dev set.</summary>
    public double DevError { get; }

    /// <summary>The error on the test set, or <see langword="null"/> when it was not given.</summary>
    public double? TestError { get; }

    /// <summary>The gaps in the order of the sets: avoidable bias, variance and data mismatch (or the two together without a train-dev error), overfitting to dev (with a test error).</summary>
    public IReadOnlyList<DiagnosisGap> Gaps { get; }

    /// <summary>The largest gap (the first on a tie), or <see langword="null"/> when no gap is positive.</summary>
    public DiagnosisGap? LargestGap { get; }

    /// <summary>The actions recommended for the largest gap; empty when there is none.</summary>
    public IReadOnlyList<string> RecommendedActions => LargestGap?.Actions ?? [];

    /// <summary>Diagnoses from error rates.</summary>
    /// <param name="humanError">Human-level (Bayes proxy) error; in [0, 1].</param>
    /// <param name="trainError">Error on the training set; in [0, 1].</param>
    /// <param name="trainDevError">Error on the train-dev set; in [0, 1]; <see langword="null"/> when there is none (variance and data mismatch are then reported together).</param>
    /// <param name="devError">Error on the dev set; in [0, 1].</param>
    /// <param name="testError">Error on the test set; in [0, 1]; <see langword="null"/> to leave overfitting to dev out.</param>
    /// <returns>The diagnosis.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An error is NaN or outside [0, 1]; the message names it.</exception>
    public static ErrorDiagnosis FromErrors(double humanError, double trainError, double? trainDevError, double devError, double? testError = null)
    {
        Check(humanError, nameof(humanError));
        Check(trainError, nameof(trainError));
        Check(trainDevError, nameof(trainDevError));
        Check(devError, nameof(devError));
        Check(testError, nameof(testError));
        return new ErrorDiagnosis(humanError, trainError, trainDevError, devError, testError);
    }

    /// <summary>Diagnoses a classifier from its scored sets: each error is 1 − accuracy (see <see cref="ErrorRate"/>).</summary>
    /// <param name="humanError">Human-level (Bayes proxy) error; in [0, 1].</param>
    /// <param name="scoredTrain">The training set scored by the model.</param>
    /// <param name="scoredTrainDev">The train-dev set scored by the model, or <see langword="null"/>.</param>
    /// <param name="scoredDev">The dev set scored by the model.</param>
    /// <param name="scoredTest">The test set scored by the model, or <see langword="null"/>.</param>
    /// <param name="labelColumnName">Column of the true labels. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Column of the predicted labels. Default <c>PredictedLabel</c>.</param>
    /// <returns>The diagnosis.</returns>
    /// <exception cref="ArgumentException">A column is missing or a set has no labelled rows; or <paramref name="humanError"/> is out of range.</exception>
    public static ErrorDiagnosis FromScoredData(
        double humanError,
        IDataView scoredTrain,
        IDataView? scoredTrainDev,
        IDataView scoredDev,
        IDataView? scoredTest = null,
        string labelColumnName = "Label",
        string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(scoredTrain);
        ArgumentNullException.ThrowIfNull(scoredDev);
        double? Optional(IDataView? scored) => scored is null ? null : ErrorRate(scored, labelColumnName, predictedLabelColumnName);
        return FromErrors(
            humanError,
            ErrorRate(scoredTrain, labelColumnName, predictedLabelColumnName),
            Optional(scoredTrainDev),
            ErrorRate(scoredDev, labelColumnName, predictedLabelColumnName),
            Optional(scoredTest));
    }

    /// <summary>
    /// The error rate (1 − accuracy) of a classifier's scored view: the share of rows whose predicted
    /// label differs from the true one. Keys compare by their key values, so the label may be a key
    /// and the prediction a key or the value <c>MapKeyToValue</c> gives back; binary labels and
    /// predictions are booleans. Rows with a missing label are left out; a missing prediction is wrong.
    /// </summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="labelColumnName">Column of the true labels. Default <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">Column of the predicted labels. Default <c>PredictedLabel</c>.</param>
    /// <returns>The error rate, in [0, 1].</returns>
    /// <exception cref="ArgumentException">A column is missing or not scalar, or no row has a label.</exception>
    public static double ErrorRate(IDataView scored, string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(scored);
        var truth = ColumnText.Read(scored, labelColumnName, nameof(labelColumnName));
        var predicted = ColumnText.Read(scored, predictedLabelColumnName, nameof(predictedLabelColumnName));
        var labelled = Enumerable.Range(0, truth.Length).Where(i => truth[i] is not null).ToArray();
        if (labelled.Length == 0)
        {
            throw new ArgumentException($"The scored data has no row with a label in column '{labelColumnName}'; an error rate needs at least one.", nameof(scored));
        }

        return labelled.Count(i => !string.Equals(truth[i], predicted[i], StringComparison.Ordinal)) / (double)labelled.Length;
    }

    /// <summary>The report as text: the errors, the gaps, the largest gap and what to do about it.</summary>
    public override string ToString() => DiagnosisText.Format(this);

    /// <summary>Writes the errors and the gaps as a bar chart (PNG), the largest gap highlighted.</summary>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void WritePlot(string path, PlotOptions? options = null)
    {
        var o = options ?? new PlotOptions();
        o.Validate();
        PlotFile.Write(DiagnosisPlot.Build(this, o.Title ?? "Diagnosis: errors and gaps"), path, o.Width, o.Height);
    }

    private static void Check(double? error, string name)
    {
        if (error is { } value)
        {
            OptionCheck.Require(value is >= 0 and <= 1, value, name, "an error rate in [0, 1]");
        }
    }
}

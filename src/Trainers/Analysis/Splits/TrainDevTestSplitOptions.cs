using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Options of <see cref="TrainDevTestSplitCatalog.TrainDevTestSplit(Microsoft.ML.DataOperationsCatalog, Microsoft.ML.IDataView, TrainDevTestSplitOptions)"/>.
/// From one distribution each fraction is a share of all rows and the training set gets the rest.
/// From two, <see cref="TrainDevFraction"/> is a share of the training-distribution rows,
/// <see cref="DevFraction"/> and <see cref="TestFraction"/> are shares of the target-distribution
/// rows, and the target rows left over join the training data (train and train-dev in the same
/// proportion), so that train-dev stays a sample of what the model is trained on.
/// </summary>
public sealed class TrainDevTestSplitOptions
{
    /// <summary>Share held out as the train-dev set. Default 0.1; in [0, 1); 0 for no train-dev set.</summary>
    public double TrainDevFraction { get; set; } = 0.1;

    /// <summary>Share in the dev set. Default 0.1; in [0, 1).</summary>
    public double DevFraction { get; set; } = 0.1;

    /// <summary>Share in the test set. Default 0.1; in [0, 1).</summary>
    public double TestFraction { get; set; } = 0.1;

    /// <summary>
    /// Scalar column (e.g. the label) to stratify by: every split gets its share of each value.
    /// Default <see langword="null"/>: no stratification. With groups, a group's stratum is the value of its first row.
    /// </summary>
    public string? StratificationColumnName { get; set; }

    /// <summary>
    /// Scalar column of group keys (e.g. a user or patient id), as ML.NET's <c>TrainTestSplit</c>
    /// names it: rows with the same key always land in the same split. Default <see langword="null"/>:
    /// every row on its own. A row with a missing key is a group of its own.
    /// </summary>
    public string? SamplingKeyColumnName { get; set; }

    /// <summary>Seed of the random order. Default <see langword="null"/>: the <c>MLContext</c>'s seed (0 when it has none).</summary>
    public int? Seed { get; set; }

    /// <summary>Throws naming the option when a fraction is out of range or the training set would be empty.</summary>
    /// <param name="twoDistributions">Whether dev and test come from a separate target distribution.</param>
    internal void Validate(bool twoDistributions)
    {
        Fraction(TrainDevFraction, nameof(TrainDevFraction));
        Fraction(DevFraction, nameof(DevFraction));
        Fraction(TestFraction, nameof(TestFraction));
        if (twoDistributions)
        {
            OptionCheck.Require(DevFraction + TestFraction <= 1, DevFraction + TestFraction, "DevFraction + TestFraction", "at most 1 (they are shares of the target data)");
        }
        else
        {
            var sum = TrainDevFraction + DevFraction + TestFraction;
            OptionCheck.Require(sum < 1, sum, "TrainDevFraction + DevFraction + TestFraction", "below 1 so that the training set keeps some rows");
        }
    }

    private static void Fraction(double value, string name) => OptionCheck.Require(value is >= 0 and < 1, value, name, "in [0, 1)");
}

using DeepLearning.Transforms.MlNet;
using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Train / train-dev / dev / test splits on ML.NET's data catalog (<c>ml.Data</c>), next to its
/// <c>TrainTestSplit</c>: seeded, optionally stratified, and with group keys that never straddle two
/// sets. The sets are views over the input, not copies.
/// </summary>
public static class TrainDevTestSplitCatalog
{
    /// <summary>Splits data from one distribution into train, train-dev, dev and test sets; the training set gets the rows the fractions leave.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="data">The data; must have rows.</param>
    /// <param name="trainDevFraction">Share of the rows in the train-dev set. Default 0.1; in [0, 1).</param>
    /// <param name="devFraction">Share of the rows in the dev set. Default 0.1; in [0, 1).</param>
    /// <param name="testFraction">Share of the rows in the test set. Default 0.1; in [0, 1); the three fractions sum to less than 1.</param>
    /// <param name="stratificationColumnName">Scalar column (e.g. the label) whose values every set gets its share of. Default none.</param>
    /// <param name="samplingKeyColumnName">Scalar column of group keys that must not straddle two sets. Default none.</param>
    /// <param name="seed">Seed of the random order. Default: the <c>MLContext</c>'s seed.</param>
    /// <returns>The four sets.</returns>
    /// <exception cref="ArgumentException">A fraction is out of range, a column is missing, the data is empty, or a set with a positive fraction would be empty.</exception>
    public static TrainDevTestData TrainDevTestSplit(
        this DataOperationsCatalog catalog,
        IDataView data,
        double trainDevFraction = 0.1,
        double devFraction = 0.1,
        double testFraction = 0.1,
        string? stratificationColumnName = null,
        string? samplingKeyColumnName = null,
        int? seed = null)
        => catalog.TrainDevTestSplit(data, new TrainDevTestSplitOptions
        {
            TrainDevFraction = trainDevFraction,
            DevFraction = devFraction,
            TestFraction = testFraction,
            StratificationColumnName = stratificationColumnName,
            SamplingKeyColumnName = samplingKeyColumnName,
            Seed = seed,
        });

    /// <summary>Splits data from one distribution into train, train-dev, dev and test sets, with all options.</summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="data">The data; must have rows.</param>
    /// <param name="options">The fractions, columns and seed.</param>
    /// <returns>The four sets.</returns>
    /// <exception cref="ArgumentException">A fraction is out of range, a column is missing, the data is empty, or a set with a positive fraction would be empty.</exception>
    public static TrainDevTestData TrainDevTestSplit(this DataOperationsCatalog catalog, IDataView data, TrainDevTestSplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(twoDistributions: false);
        var environment = MlNetEnvironment.FromCatalog(catalog);
        var source = SplitSource.Read(data, options, nameof(data));
        var (d, t, td) = (options.DevFraction, options.TestFraction, options.TrainDevFraction);
        var assignment = source.Assign([(DataSplit.Dev, d), (DataSplit.Test, t), (DataSplit.TrainDev, td), (DataSplit.Train, 1 - d - t - td)], Random(environment, options));
        var result = new TrainDevTestData(
            RowSelectionView.Of(data, assignment, DataSplit.Train),
            RowSelectionView.Of(data, assignment, DataSplit.TrainDev),
            RowSelectionView.Of(data, assignment, DataSplit.Dev),
            RowSelectionView.Of(data, assignment, DataSplit.Test));
        SplitCheck.NotEmpty(result, options, $"the data has {source.RowCount} rows in {source.GroupCount} groups");
        return result;
    }

    /// <summary>
    /// Splits data from two distributions: train and train-dev from the training distribution (e.g.
    /// images from the web), dev and test from the target distribution the model will meet (e.g.
    /// images from the app), so that dev and test aim at the target. Target rows the dev and test
    /// fractions leave join the training data, shared between train and train-dev.
    /// </summary>
    /// <param name="catalog">The data catalog, <c>ml.Data</c>.</param>
    /// <param name="trainingDistribution">The training-distribution data; must have rows.</param>
    /// <param name="targetDistribution">The target-distribution data, with the same columns and types; must have rows.</param>
    /// <param name="options">The fractions (train-dev of the training data; dev and test of the target data, summing to at most 1), columns and seed; <see langword="null"/> for the defaults.</param>
    /// <returns>The four sets.</returns>
    /// <exception cref="ArgumentException">A fraction is out of range, a column is missing, the schemas differ, a group key occurs in both inputs, an input is empty, or a set with a positive fraction would be empty.</exception>
    public static TrainDevTestData TrainDevTestSplit(this DataOperationsCatalog catalog, IDataView trainingDistribution, IDataView targetDistribution, TrainDevTestSplitOptions? options = null)
    {
        options ??= new TrainDevTestSplitOptions();
        options.Validate(twoDistributions: true);
        var environment = MlNetEnvironment.FromCatalog(catalog);
        var training = SplitSource.Read(trainingDistribution, options, nameof(trainingDistribution));
        var target = SplitSource.Read(targetDistribution, options, nameof(targetDistribution));
        SplitCheck.SameSchema(trainingDistribution, targetDistribution);
        SplitCheck.NoSharedGroups(training, target, options);

        var random = Random(environment, options);
        var (d, t, td) = (options.DevFraction, options.TestFraction, options.TrainDevFraction);
        var fromTraining = training.Assign([(DataSplit.TrainDev, td), (DataSplit.Train, 1 - td)], random);
        var rest = 1 - d - t;
        var fromTarget = target.Assign([(DataSplit.Dev, d), (DataSplit.Test, t), (DataSplit.TrainDev, rest * td), (DataSplit.Train, rest * (1 - td))], random);

        IDataView Both(DataSplit split) => fromTarget.Contains(split)
            ? MlNetData.AppendRows(environment, RowSelectionView.Of(trainingDistribution, fromTraining, split), RowSelectionView.Of(targetDistribution, fromTarget, split))
            : RowSelectionView.Of(trainingDistribution, fromTraining, split);

        var result = new TrainDevTestData(
            Both(DataSplit.Train),
            Both(DataSplit.TrainDev),
            RowSelectionView.Of(targetDistribution, fromTarget, DataSplit.Dev),
            RowSelectionView.Of(targetDistribution, fromTarget, DataSplit.Test));
        SplitCheck.NotEmpty(
            result,
            options,
            $"the training data has {training.RowCount} rows in {training.GroupCount} groups and the target data {target.RowCount} rows in {target.GroupCount} groups");
        return result;
    }

    private static Random Random(Microsoft.ML.Runtime.IHostEnvironment environment, TrainDevTestSplitOptions options)
        => new(options.Seed ?? MlNetData.Seed(environment) ?? 0);
}

using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// The four sets of a train / train-dev / dev / test split: views over the input (no copy of the
/// data), each with its row count known.
/// </summary>
public sealed class TrainDevTestData
{
    internal TrainDevTestData(IDataView trainSet, IDataView trainDevSet, IDataView devSet, IDataView testSet)
    {
        TrainSet = trainSet;
        TrainDevSet = trainDevSet;
        DevSet = devSet;
        TestSet = testSet;
    }

    /// <summary>The training set.</summary>
    public IDataView TrainSet { get; }

    /// <summary>Held out from the training distribution (empty when its fraction is 0): its error against the training error measures variance.</summary>
    public IDataView TrainDevSet { get; }

    /// <summary>From the target distribution: the set model choices are made on.</summary>
    public IDataView DevSet { get; }

    /// <summary>From the target distribution: the final estimate, used once.</summary>
    public IDataView TestSet { get; }
}

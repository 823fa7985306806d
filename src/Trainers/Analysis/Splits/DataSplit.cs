namespace DeepLearning.Trainers.Analysis;

/// <summary>The four sets of a train / train-dev / dev / test split.</summary>
internal enum DataSplit
{
    /// <summary>The training set.</summary>
    Train,

    /// <summary>Held out from the training distribution: the error on it against the training error measures variance.</summary>
    TrainDev,

    /// <summary>From the target distribution: what model choices are made on.</summary>
    Dev,

    /// <summary>From the target distribution: the final, unbiased estimate.</summary>
    Test,
}

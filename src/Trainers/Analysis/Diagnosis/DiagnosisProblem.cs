namespace DeepLearning.Trainers.Analysis;

/// <summary>The gaps between the errors of the human-level, train, train-dev, dev and test sets, each pointing at a different remedy.</summary>
public enum DiagnosisProblem
{
    /// <summary>Train error minus human-level error: the model does not fit the training data as well as it could.</summary>
    AvoidableBias,

    /// <summary>Train-dev error minus train error: the model does not generalise to unseen data of the training distribution.</summary>
    Variance,

    /// <summary>Dev error minus train-dev error: the dev (target) distribution differs from the training distribution.</summary>
    DataMismatch,

    /// <summary>Dev error minus train error when there is no train-dev set: variance and data mismatch together, which cannot be told apart.</summary>
    VarianceOrDataMismatch,

    /// <summary>Test error minus dev error: choices tuned on the dev set do not carry over to the test set.</summary>
    DevOverfitting,
}

using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;

namespace DeepLearning.Samples.FashionMnist;

/// <summary>One model the sample trains: a name and its network options.</summary>
/// <param name="Name">Shown in the progress and the table.</param>
/// <param name="HiddenLayers">Hidden layer sizes; empty for logistic regression.</param>
/// <param name="Dropout">Dropout after the hidden layers (empty: none).</param>
internal sealed record ModelDefinition(string Name, int[] HiddenLayers, double[] Dropout)
{
    /// <summary>The three models compared by the sample.</summary>
    public static IReadOnlyList<ModelDefinition> All { get; } =
    [
        new("Logistic regression", [], []),
        new("Shallow network [128]", [128], []),
        new("Deep network [256, 128]", [256, 128], [0.2]),
    ];

    /// <summary>The trainer options: Adam, batch 128, early stopping with patience 3 on 10% held out.</summary>
    public DeepNeuralNetworkTrainer.Options ToOptions(int epochs, IProgress<EpochMetrics> progress) => new()
    {
        HiddenLayers = HiddenLayers,
        Dropout = Dropout,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        BatchSize = 128,
        Epochs = epochs,
        EarlyStoppingPatience = 3,
        EarlyStoppingMonitor = EarlyStoppingMonitor.ValidationMetric,
        LearningRateSchedule = new CosineAnnealingSchedule(),
        ValidationFraction = 0.1,
        NumberOfThreads = 2,
        Seed = 1,
        Progress = progress,
    };
}

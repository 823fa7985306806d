using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.MlNet;
using Microsoft.ML;

namespace DeepLearning.Trainers;

/// <summary>
/// Multi-task trainers on ML.NET's binary classification catalog: one network learns several binary
/// labels at once (one logit per label column over a shared trunk; see
/// <see cref="MultiTaskBinaryClassificationTask"/> for the masked loss). The trainer's
/// <c>LabelColumnName</c> option is not used: the label columns are given here. Scoring appends, per
/// label column <c>L</c>, <c>L.Score</c>, <c>L.Probability</c> and <c>L.PredictedLabel</c>
/// (<see cref="MultiTaskBinaryClassificationHead"/>), so that each task evaluates with
/// <c>ml.BinaryClassification.Evaluate(scored, L, "L.Score", "L.Probability", "L.PredictedLabel")</c>.
/// </summary>
public static class MultiTaskCatalog
{
    /// <summary>A fully connected network with one sigmoid output per label column.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnNames">The label column of each task: Boolean, or Single 0/1 with NaN for a missing label; at least one, distinct.</param>
    /// <param name="options">The network and training options; default: <see cref="DeepNeuralNetworkTrainer.Options"/>'s defaults.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetworkMultiTask(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, IReadOnlyList<string> labelColumnNames, DeepNeuralNetworkTrainer.Options? options = null)
        => new(MlNetEnvironment.FromCatalog(catalog), new MultiTaskBinaryClassificationTask(labelColumnNames), options ?? new());

    /// <summary>A convolutional network with one sigmoid output per label column (several objects in one image).</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnNames">The label column of each task: Boolean, or Single 0/1 with NaN for a missing label; at least one, distinct.</param>
    /// <param name="options">The network and training options; default: <see cref="ConvolutionalNeuralNetworkTrainer.Options"/>'s defaults.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetworkMultiTask(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, IReadOnlyList<string> labelColumnNames, ConvolutionalNeuralNetworkTrainer.Options? options = null)
        => new(MlNetEnvironment.FromCatalog(catalog), new MultiTaskBinaryClassificationTask(labelColumnNames), options ?? new());
}

using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Trains one of the sample's convolutional networks through the shared <see cref="ModelTraining"/>.</summary>
internal static class CnnTraining
{
    /// <summary>Trains <paramref name="definition"/> with <paramref name="options"/> on <paramref name="train"/> and evaluates it on <paramref name="test"/>.</summary>
    /// <param name="ml">The context that fits and evaluates.</param>
    /// <param name="definition">What to train.</param>
    /// <param name="options">The trainer options, usually from <see cref="ModelDefinition.ToOptions"/>.</param>
    /// <param name="train">Training rows with a <c>Label</c> column.</param>
    /// <param name="test">Test rows, same schema.</param>
    /// <returns>The fitted pipeline with its test metrics; the caller disposes it.</returns>
    public static TrainedModel Train(MLContext ml, ModelDefinition definition, ConvolutionalNeuralNetworkTrainer.Options options, IDataView train, IDataView test)
        => ModelTraining.Train(
            ml,
            definition.Name,
            $"{definition.Name} (up to {definition.Epochs} epoch(s)):",
            ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options),
            train,
            test);
}

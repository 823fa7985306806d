using System.Diagnostics;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>A trained model with its test metrics and how training went.</summary>
/// <param name="Definition">What was trained.</param>
/// <param name="Model">The fitted pipeline: MapValueToKey, the network, MapKeyToValue.</param>
/// <param name="Metrics">Test-set metrics.</param>
/// <param name="TrainingSeconds">Wall time of <c>Fit</c>.</param>
/// <param name="History">Per-epoch metrics kept by the network transformer.</param>
internal sealed record TrainedModel(
    ModelDefinition Definition,
    TransformerChain<KeyToValueMappingTransformer> Model,
    MulticlassClassificationMetrics Metrics,
    double TrainingSeconds,
    TrainingHistory? History) : IDisposable
{
    public void Dispose() => ModelTraining.DisposeNetworks(Model);
}

/// <summary>Builds, trains and evaluates the pipelines.</summary>
internal static class ModelTraining
{
    /// <summary>Trains with <paramref name="options"/> on <paramref name="train"/> and evaluates on <paramref name="test"/>.</summary>
    public static TrainedModel Train(MLContext ml, ModelDefinition definition, ConvolutionalNeuralNetworkTrainer.Options options, IDataView train, IDataView test)
    {
        Console.WriteLine($"{definition.Name} (up to {definition.Epochs} epoch(s)):");
        var watch = Stopwatch.StartNew();
        var model = Fit(ml, options, train);
        double seconds = watch.Elapsed.TotalSeconds;
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        var history = model.OfType<NetworkPredictionTransformer>().Single().History;
        if (history is not null)
        {
            Console.WriteLine($"  best epoch {history.BestEpoch} of {history.Count}{(history.StoppedEarly ? " (stopped early)" : string.Empty)}; test accuracy {metrics.MicroAccuracy:P2}; {seconds:F1} s");
            foreach (var warning in history.Warnings)
            {
                Console.WriteLine($"  warning: {warning}");
            }
        }

        Console.WriteLine();
        return new TrainedModel(definition, model, metrics, seconds, history);
    }

    /// <summary>Fits MapValueToKey("Label"), the ConvolutionalNeuralNetwork trainer and MapKeyToValue("PredictedLabel").</summary>
    public static TransformerChain<KeyToValueMappingTransformer> Fit(MLContext ml, ConvolutionalNeuralNetworkTrainer.Options options, IDataView train)
        => ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);

    /// <summary>Releases the TorchSharp networks held by a fitted pipeline.</summary>
    public static void DisposeNetworks(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var network in chain.OfType<NetworkPredictionTransformer>())
            {
                network.Dispose();
            }
        }
        else if (model is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}

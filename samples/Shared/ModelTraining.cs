using System.Diagnostics;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeepLearning.Samples.Shared;

/// <summary>Builds, trains and evaluates the multiclass pipelines of the samples.</summary>
internal static class ModelTraining
{
    /// <summary>Trains <paramref name="trainer"/> on <paramref name="train"/>, evaluates it on <paramref name="test"/> and prints how it went.</summary>
    /// <typeparam name="TTransformer">The transformer the network trainer fits.</typeparam>
    /// <param name="ml">The context that fits and evaluates.</param>
    /// <param name="name">The model's name, shown in the table.</param>
    /// <param name="heading">The line printed before training, e.g. <c>LeNet-5 (up to 12 epoch(s)):</c>.</param>
    /// <param name="trainer">The network trainer (DeepNeuralNetwork or ConvolutionalNeuralNetwork).</param>
    /// <param name="train">Training rows with a <c>Label</c> column.</param>
    /// <param name="test">Test rows, same schema.</param>
    /// <returns>The fitted pipeline with its test metrics; the caller disposes it.</returns>
    public static TrainedModel Train<TTransformer>(MLContext ml, string name, string heading, IEstimator<TTransformer> trainer, IDataView train, IDataView test)
        where TTransformer : class, ITransformer
    {
        Console.WriteLine(heading);
        var watch = Stopwatch.StartNew();
        var model = Fit(ml, trainer, train);
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
        return new TrainedModel(name, model, metrics, seconds, history);
    }

    /// <summary>Fits MapValueToKey("Label"), <paramref name="trainer"/> and MapKeyToValue("PredictedLabel").</summary>
    /// <typeparam name="TTransformer">The transformer the network trainer fits.</typeparam>
    /// <param name="ml">The context that fits.</param>
    /// <param name="trainer">The network trainer.</param>
    /// <param name="train">Training rows with a <c>Label</c> column.</param>
    /// <returns>The fitted pipeline.</returns>
    public static TransformerChain<KeyToValueMappingTransformer> Fit<TTransformer>(MLContext ml, IEstimator<TTransformer> trainer, IDataView train)
        where TTransformer : class, ITransformer
        => ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(trainer)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
}

using System.Diagnostics;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using TorchSharp.PyBridge;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>The outcome of pretraining: where the weights are, and how good the network is on its own task.</summary>
/// <param name="WeightsPath">The safetensors file of the whole network (backbone and head).</param>
/// <param name="FashionTestAccuracy">Accuracy on the 10,000 Fashion-MNIST test images.</param>
/// <param name="Seconds">Wall time of the fit.</param>
internal sealed record PretrainedNetwork(string WeightsPath, double FashionTestAccuracy, double Seconds);

/// <summary>Pretrains the small CNN on Fashion-MNIST and saves its weights as safetensors.</summary>
internal static class Pretraining
{
    /// <summary>Reuses the weights an earlier run saved (<c>--weights</c>) instead of pretraining again.</summary>
    /// <param name="path">The safetensors file.</param>
    /// <returns>The weights, with an unknown (NaN) Fashion-MNIST accuracy and no pretraining time.</returns>
    public static PretrainedNetwork Reuse(string path)
    {
        Console.WriteLine($"Reusing the pretrained weights {path} (no pretraining).");
        Console.WriteLine();
        return new PretrainedNetwork(path, double.NaN, 0);
    }

    /// <summary>Trains the small CNN on Fashion-MNIST, evaluates it on its test set and saves its state dict.</summary>
    /// <param name="ml">The context that fits.</param>
    /// <param name="options">The sample's options: data directory, rows, epochs, output directory.</param>
    /// <returns>The saved weights and the pretrained network's test accuracy.</returns>
    public static PretrainedNetwork Run(MLContext ml, TransferOptions options)
    {
        var train = IdxDataset.Load(ml, options.FashionDirectory, IdxSplit.Train, maxRows: options.PretrainRows);
        var test = IdxDataset.Load(ml, options.FashionDirectory, IdxSplit.Test);
        Console.WriteLine($"Pretraining the small CNN on Fashion-MNIST ({options.PretrainRows?.ToString("N0") ?? "all 60,000"} rows, {options.PretrainEpochs} epoch(s)):");
        var trainer = ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = "Features",
            Architecture = new SmallCnnSpec(),
            Epochs = options.PretrainEpochs,
            BatchSize = 128,
            LearningRate = 1e-3,
            LearningRateSchedule = new CosineAnnealingSchedule(),
            NumberOfThreads = 2,
            Seed = 1,
            Progress = new ConsoleProgress(options.PretrainEpochs),
        });
        var watch = Stopwatch.StartNew();
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(train);
        double seconds = watch.Elapsed.TotalSeconds;
        var network = model.OfType<NetworkPredictionTransformer>().Single();
        try
        {
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Directory.CreateDirectory(options.OutputDirectory);
            string path = Path.Combine(options.OutputDirectory, "fashion-small-cnn.safetensors");
            Safetensors.SaveStateDict(path, network.Network.state_dict());
            Console.WriteLine($"  Fashion-MNIST test accuracy {accuracy:P2}; {seconds:F1} s; weights saved to {path}");
            Console.WriteLine();
            return new PretrainedNetwork(path, accuracy, seconds);
        }
        finally
        {
            network.Dispose();
        }
    }
}

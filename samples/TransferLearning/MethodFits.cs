using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Featurizers;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using Microsoft.ML;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>Fits one method on one training subset and measures its test accuracy.</summary>
/// <param name="ml">The context that fits and evaluates.</param>
/// <param name="weightsPath">The pretrained Fashion-MNIST weights (safetensors).</param>
/// <param name="quick">Whether this is a smoke run (shorter fits).</param>
internal sealed class MethodFits(MLContext ml, string weightsPath, bool quick)
{
    /// <summary>Learning rate of the network fits (Adam, cosine annealing).</summary>
    private const double LearningRate = 1e-3;

    /// <summary>
    /// The small CNN's head (hidden and output layers): it starts afresh when fine-tuning, because its hidden
    /// units are templates of Fashion-MNIST's clothes; only the convolutional backbone carries over.
    /// </summary>
    private const string HeadPrefix = "classifier.";

    /// <summary>Fits <paramref name="method"/> on <paramref name="train"/> and returns its micro accuracy on <paramref name="test"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="train">The training subset.</param>
    /// <param name="perClass">Examples per class in <paramref name="train"/>.</param>
    /// <param name="test">The test digits.</param>
    /// <param name="seed">Seed of the network's initialisation and shuffling.</param>
    /// <returns>The test accuracy.</returns>
    public double Accuracy(TransferMethod method, IDataView train, int perClass, IDataView test, int seed)
    {
        var key = ml.Transforms.Conversion.MapValueToKey("Label");
        ITransformer model = method switch
        {
            TransferMethod.FeaturizerLinear => ml.Transforms.ImageFeaturizer(new ImageFeaturizerOptions
            {
                Architecture = new SmallCnnSpec(),
                WeightsPath = weightsPath,
                InputColumnName = "Features",
                OutputColumnName = "Embedding",
            })
                .Append(ml.Transforms.NormalizeMeanVariance("Embedding"))
                .Append(key)
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "Embedding"))
                .Fit(train),
            _ => key.Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(NetworkOptions(method, perClass, seed))).Fit(train),
        };
        try
        {
            return ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        }
        finally
        {
            NetworkDisposal.DisposeNetworks(model);
        }
    }

    /// <summary>
    /// The CNN trainer's options for training from scratch or fine-tuning. Both train every layer from the
    /// first epoch at the same rates; fine-tuning starts from the pretrained backbone. Freezing the backbone
    /// for the first tenth of the epochs, keeping the pretrained hidden layer, or a backbone rate of 0.1 or
    /// 0.5 of the head's did worse on these digits (three subsets each at 10 and 100 per class).
    /// </summary>
    private ConvolutionalNeuralNetworkTrainer.Options NetworkOptions(TransferMethod method, int perClass, int seed)
    {
        var plan = EpochPlan.For(perClass, quick);
        return new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = "Features",
            Architecture = new SmallCnnSpec(),
            Epochs = plan.Epochs,
            BatchSize = plan.BatchSize,
            LearningRate = LearningRate,
            LearningRateSchedule = new CosineAnnealingSchedule(),
            NumberOfThreads = 2,
            Seed = seed,
            FineTuning = method == TransferMethod.FineTune
                ? new FineTuningOptions
                {
                    InitialWeights = weightsPath,
                    WeightOptions = new WeightLoadOptions { SkipPrefixes = [HeadPrefix] },
                }
                : null,
        };
    }
}

using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Networks.Architectures;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>One model the sample trains: a name, its architecture, whether it augments, and its epoch budget.</summary>
/// <param name="Name">Shown in the progress and the table.</param>
/// <param name="Architecture">The network of the zoo; its input size and class count come from the data.</param>
/// <param name="Augment">Whether training batches get a random crop (padding 2) and a horizontal flip.</param>
/// <param name="Epochs">Maximum epochs (early stopping may end sooner).</param>
internal sealed record ModelDefinition(string Name, ImageNetworkSpec Architecture, bool Augment, int Epochs)
{
    /// <summary>The three models of the default path: LeNet-5, the small CNN and a CIFAR ResNet-20 with augmentation.</summary>
    public static IReadOnlyList<ModelDefinition> All(SampleOptions options) =>
    [
        new("LeNet-5", new LeNet5Spec { SmallInput = true }, Augment: false, options.Epochs),
        new("Small CNN", new SmallCnnSpec(), Augment: false, options.Epochs),
        new("ResNet-20 + augmentation", new ResNetSpec { Variant = ResNetVariant.ResNet20 }, Augment: true, options.ResNetEpochs),
    ];

    /// <summary>The small CNN alone, for the image-folder path.</summary>
    public static ModelDefinition SmallCnn(SampleOptions options) => new("Small CNN (image files)", new SmallCnnSpec(), Augment: false, options.Epochs);

    /// <summary>
    /// The trainer options: Adam with cosine annealing, batch 128, inputs standardised per channel,
    /// early stopping with patience 3 on the accuracy of 10% of the training rows held out.
    /// </summary>
    public ConvolutionalNeuralNetworkTrainer.Options ToOptions(IProgress<EpochMetrics> progress) => new()
    {
        Architecture = Architecture,
        Augmentation = Augment ? new AugmentationPipeline([new RandomCrop { Padding = 2 }, new Flip()], seed: 1) : null,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        LearningRateSchedule = new CosineAnnealingSchedule(),
        BatchSize = 128,
        Epochs = Epochs,
        NormalizeFeatures = true,
        EarlyStoppingPatience = 3,
        EarlyStoppingMonitor = EarlyStoppingMonitor.ValidationMetric,
        ValidationFraction = 0.1,
        NumberOfThreads = 2,
        Seed = 1,
        Progress = progress,
    };
}

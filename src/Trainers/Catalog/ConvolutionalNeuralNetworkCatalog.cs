using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;

namespace DeepLearning.Trainers;

/// <summary>
/// <c>ConvolutionalNeuralNetwork</c> trainers on ML.NET's own catalogs, each with a flat overload
/// (common options, documented defaults) and a <see cref="ConvolutionalNeuralNetworkTrainer.Options"/> overload.
/// </summary>
public static class ConvolutionalNeuralNetworkCatalog
{
    /// <summary>A convolutional network for image classification (softmax cross-entropy).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Label column: a key type (e.g. from <c>MapValueToKey</c>) or Single class indices.</param>
    /// <param name="featureColumnName">Features column: <c>MLImage</c>, encoded image bytes, image file paths or an image-shaped vector of Single.</param>
    /// <param name="architecture">The network; default <see cref="SmallCnnSpec"/>. Input size and class count come from the data.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Mini-batch size; default 128.</param>
    /// <param name="learningRate">Adam learning rate; default 0.001.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetwork(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        ImageNetworkSpec? architecture = null,
        int epochs = 10,
        int batchSize = 128,
        double learningRate = 1e-3)
        => catalog.ConvolutionalNeuralNetwork(Flat(labelColumnName, featureColumnName, architecture, epochs, batchSize, learningRate));

    /// <summary>A convolutional network for image classification, with all options.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <param name="task">The loss's options (e.g. <see cref="MulticlassClassificationTask.LabelSmoothing"/>); default plain softmax cross-entropy.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ConvolutionalNeuralNetworkTrainer.Options options, MulticlassClassificationTask? task = null)
        => new(MlNetEnvironment.FromCatalog(catalog), task ?? new MulticlassClassificationTask(), options);

    /// <summary>A convolutional network for binary image classification (sigmoid cross-entropy).</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Label column: Boolean, Single 0/1 or a 2-value key.</param>
    /// <param name="featureColumnName">Features column: <c>MLImage</c>, encoded image bytes, image file paths or an image-shaped vector of Single.</param>
    /// <param name="architecture">The network; default <see cref="SmallCnnSpec"/>. Input size comes from the data.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Mini-batch size; default 128.</param>
    /// <param name="learningRate">Adam learning rate; default 0.001.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetwork(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        ImageNetworkSpec? architecture = null,
        int epochs = 10,
        int batchSize = 128,
        double learningRate = 1e-3)
        => catalog.ConvolutionalNeuralNetwork(Flat(labelColumnName, featureColumnName, architecture, epochs, batchSize, learningRate));

    /// <summary>A convolutional network for binary image classification, with all options.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="options">The options.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, ConvolutionalNeuralNetworkTrainer.Options options)
        => new(MlNetEnvironment.FromCatalog(catalog), new BinaryClassificationTask(), options);

    /// <summary>A convolutional network for regression on images (mean squared error), with all options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The options.</param>
    public static ConvolutionalNeuralNetworkTrainer ConvolutionalNeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, ConvolutionalNeuralNetworkTrainer.Options options)
        => new(MlNetEnvironment.FromCatalog(catalog), new RegressionTask(), options);

    private static ConvolutionalNeuralNetworkTrainer.Options Flat(string label, string features, ImageNetworkSpec? architecture, int epochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        Architecture = architecture ?? new SmallCnnSpec(),
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
    };
}

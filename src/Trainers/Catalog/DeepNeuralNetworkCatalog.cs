using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Heads;
using Microsoft.ML;

namespace DeepLearning.Trainers;

/// <summary>
/// <c>DeepNeuralNetwork</c> trainers on ML.NET's own catalogs, each with a flat overload (common
/// options, documented defaults) and an <see cref="DeepNeuralNetworkTrainer.Options"/> overload.
/// </summary>
public static class DeepNeuralNetworkCatalog
{
    /// <summary>A fully connected network for multiclass classification (softmax cross-entropy).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Label column: a key type (e.g. from <c>MapValueToKey</c>) or Single class indices.</param>
    /// <param name="featureColumnName">Features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes; default <c>[128]</c>; empty for softmax regression.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Mini-batch size; default 128.</param>
    /// <param name="learningRate">Adam learning rate; default 0.001.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        int[]? hiddenLayers = null,
        int epochs = 10,
        int batchSize = 128,
        double learningRate = 1e-3)
        => catalog.DeepNeuralNetwork(Flat(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A fully connected network for multiclass classification, with all options.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <param name="task">The loss's options (e.g. <see cref="MulticlassClassificationTask.LabelSmoothing"/>); default plain softmax cross-entropy.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, DeepNeuralNetworkTrainer.Options options, MulticlassClassificationTask? task = null)
        => new(MlNetEnvironment.FromCatalog(catalog), task ?? new MulticlassClassificationTask(), options);

    /// <summary>A fully connected network for binary classification (sigmoid cross-entropy).</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">Label column: Boolean, Single 0/1 or a 2-value key.</param>
    /// <param name="featureColumnName">Features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes; default <c>[128]</c>; empty for logistic regression.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Mini-batch size; default 128.</param>
    /// <param name="learningRate">Adam learning rate; default 0.001.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        int[]? hiddenLayers = null,
        int epochs = 10,
        int batchSize = 128,
        double learningRate = 1e-3)
        => catalog.DeepNeuralNetwork(Flat(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A fully connected network for binary classification, with all options.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="options">The options.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, DeepNeuralNetworkTrainer.Options options)
        => new(MlNetEnvironment.FromCatalog(catalog), new BinaryClassificationTask(), options);

    /// <summary>A fully connected network for regression (mean squared error).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Label column: Single.</param>
    /// <param name="featureColumnName">Features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes; default <c>[128]</c>; empty for linear regression.</param>
    /// <param name="epochs">Passes over the data; default 10.</param>
    /// <param name="batchSize">Mini-batch size; default 128.</param>
    /// <param name="learningRate">Adam learning rate; default 0.001.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        int[]? hiddenLayers = null,
        int epochs = 10,
        int batchSize = 128,
        double learningRate = 1e-3)
        => catalog.DeepNeuralNetwork(Flat(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A fully connected network for regression, with all options.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The options.</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, DeepNeuralNetworkTrainer.Options options)
        => new(MlNetEnvironment.FromCatalog(catalog), new RegressionTask(), options);

    /// <summary>
    /// A fully connected network that learns an embedding: an L2-normalised vector per row such that rows
    /// of the same class lie close together (contrastive loss over the pairs of each mini-batch; see
    /// <see cref="EmbeddingTask"/>). The label column (a key or Single class indices) is used for training only.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The network and training options; the last layer has <paramref name="dimension"/> units.</param>
    /// <param name="dimension">Length of the embedding. Default 32; at least 1.</param>
    /// <param name="outputColumnName">Name of the embedding column. Default <c>Embedding</c>.</param>
    /// <param name="margin">Distance rows of different classes are pushed beyond. Default 1; in (0, 2].</param>
    public static DeepNeuralNetworkTrainer DeepNeuralNetworkEmbedding(
        this TransformsCatalog catalog,
        DeepNeuralNetworkTrainer.Options options,
        int dimension = 32,
        string outputColumnName = HeadColumnNames.Embedding,
        double margin = 1.0)
        => new(MlNetEnvironment.FromCatalog(catalog), new EmbeddingTask(dimension, margin, outputColumnName), options);

    private static DeepNeuralNetworkTrainer.Options Flat(string label, string features, int[]? hiddenLayers, int epochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        HiddenLayers = hiddenLayers ?? [128],
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
    };
}

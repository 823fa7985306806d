using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Weights;
using Microsoft.ML;

namespace DeepLearning.Transforms.Featurizers;

/// <summary>
/// Turns images into feature vectors with the backbone of a pretrained classifier (any architecture
/// of the zoo, weights from a local file), so that any ML.NET trainer can learn from them:
/// <c>ml.Transforms.ImageFeaturizer(options).Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())</c>.
/// Fitting reads no data: it checks the column, loads the weights and returns a
/// <see cref="NetworkPredictionTransformer"/> that scores in batches, saves into the ML.NET zip and
/// exports to ONNX. Create it with <c>mlContext.Transforms.ImageFeaturizer(options)</c>.
/// </summary>
public sealed class ImageFeaturizerEstimator : IEstimator<NetworkPredictionTransformer>
{
    private readonly ImageFeaturizerOptions _options;

    internal ImageFeaturizerEstimator(ImageFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Checks the input column, loads the weights and returns the featurizer.</summary>
    /// <param name="input">Data with the image column (only its schema is read).</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, of another type, or its images are not the architecture's shape; or the architecture has no layer named <see cref="ImageFeaturizerOptions.LayerName"/>.</exception>
    /// <exception cref="FileNotFoundException">The weight file does not exist.</exception>
    /// <exception cref="InvalidDataException">The weights cannot be read or (strict) do not fit the architecture.</exception>
    public NetworkPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var architecture = _options.Architecture!;
        var adapter = InputAdapters.ForColumn(input.Schema, _options.InputColumnName, architecture.InputShape, _options.ImageOptions());
        if (_options.Normalization is { } normalization)
        {
            adapter = adapter.WithNormalization(normalization);
            adapter.Validate();
        }

        ImageFeaturesSpec spec;
        try
        {
            spec = ImageFeaturesSpec.For(architecture, _options.LayerName);
        }
        catch (ArgumentException e) when (e.ParamName == "layer")
        {
            throw new ArgumentOutOfRangeException(nameof(ImageFeaturizerOptions.LayerName), _options.LayerName, $"Option {nameof(ImageFeaturizerOptions.LayerName)} = '{_options.LayerName}' is invalid: {e.Message}");
        }

        var network = (ImageFeatures)spec.Build();
        try
        {
            PretrainedWeights.Load(network.Network, _options.WeightsPath!, _options.WeightOptions);
            var head = new EmbeddingHead { Dimension = spec.OutputSize, ColumnName = _options.OutputColumnName, Normalize = false };
            return new NetworkPredictionTransformer(new NetworkModel(adapter, spec, network, head, _options.Device));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.Any(c => c.Name == _options.InputColumnName))
        {
            throw new ArgumentOutOfRangeException(nameof(_options.InputColumnName), _options.InputColumnName, $"Image column '{_options.InputColumnName}' was not found in the input.");
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        var head = new EmbeddingHead { Dimension = 1, ColumnName = _options.OutputColumnName, Normalize = false };
        foreach (var column in MlNetEnvironment.ShapeColumns(head.CreateColumns(), null))
        {
            columns[column.Name] = column;
        }

        return MlNetEnvironment.Shape(columns.Values);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeepLearning.Samples.Shared;

/// <summary>A trained model with its test metrics and how training went; disposing it releases its networks.</summary>
/// <param name="Name">What was trained, as shown in the progress and the table.</param>
/// <param name="Model">The fitted pipeline: MapValueToKey, the network, MapKeyToValue.</param>
/// <param name="Metrics">Test-set metrics.</param>
/// <param name="TrainingSeconds">Wall time of <c>Fit</c>.</param>
/// <param name="History">Per-epoch metrics kept by the network transformer.</param>
internal sealed record TrainedModel(
    string Name,
    TransformerChain<KeyToValueMappingTransformer> Model,
    MulticlassClassificationMetrics Metrics,
    double TrainingSeconds,
    TrainingHistory? History) : IDisposable
{
    /// <summary>A file-name friendly form of <see cref="Name"/>, e.g. <c>resnet-20-augmentation</c>.</summary>
    public string Slug => string.Join('-', Name.ToLowerInvariant().Split([' ', '+', '(', ')', '[', ']', ','], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Releases the TorchSharp networks of <see cref="Model"/>.</summary>
    public void Dispose() => NetworkDisposal.DisposeNetworks(Model);
}

using DeepLearning.Transforms.Scoring;
using Microsoft.ML;

namespace DeepLearning.Samples.Shared;

/// <summary>Releases the TorchSharp networks that fitted or reloaded pipelines hold.</summary>
internal static class NetworkDisposal
{
    /// <summary>Disposes every network transformer of <paramref name="model"/> (a chain), or the model itself when it is disposable.</summary>
    /// <param name="model">A fitted or reloaded pipeline.</param>
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

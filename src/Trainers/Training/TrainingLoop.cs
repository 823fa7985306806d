using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// The one training loop every trainer uses: epochs of shuffled mini-batches, the optimiser,
/// L2, schedule, gradient clipping, validation, early stopping with best-weights restore,
/// NaN detection, cancellation, progress and logging. Trainers contribute the network and an
/// <see cref="ITrainingObjective"/>.
/// </summary>
public sealed class TrainingLoop
{
    private readonly TrainingOptions _options;
    private readonly Action<string>? _log;

    /// <summary>Creates a loop.</summary>
    /// <param name="options">Validated training options.</param>
    /// <param name="log">Receives one line per epoch and notable events, e.g. an ML.NET channel's Info.</param>
    public TrainingLoop(TrainingOptions options, Action<string>? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log;
    }

    /// <summary>
    /// Sets torch's intra-op thread count (when the options give one) and seeds torch's global
    /// generator, so that creating a network afterwards initialises it deterministically.
    /// Call before building the network.
    /// </summary>
    /// <param name="options">The options.</param>
    public static void PrepareTorch(TrainingOptions options)
    {
        throw new NotImplementedException();
    }

    /// <summary>Trains <paramref name="network"/> in place and returns the history.</summary>
    /// <param name="network">The network, already on the data's device.</param>
    /// <param name="objective">Loss and metric.</param>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Validation data, or <see langword="null"/> to split off <see cref="TrainingOptions.ValidationFraction"/> (if any).</param>
    /// <returns>Per-epoch metrics; the network holds the best epoch's weights when early stopping is on.</returns>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the message names the epoch and batch and suggests a lower learning rate).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public TrainingHistory Run(nn.Module<Tensor, Tensor> network, ITrainingObjective objective, TensorDataset train, TensorDataset? validation = null)
    {
        throw new NotImplementedException();
    }
}

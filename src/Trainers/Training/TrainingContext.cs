using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>The state of a training run as callbacks see it.</summary>
internal sealed class TrainingContext
{
    /// <summary>Creates the context of a run.</summary>
    public TrainingContext(nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, int epochs)
    {
        Network = network;
        Optimizer = optimizer;
        Epochs = epochs;
    }

    /// <summary>The network being trained.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The optimiser, one parameter group per <see cref="ParameterGroups"/> group.</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>Number of epochs of the run.</summary>
    public int Epochs { get; }

    /// <summary>The current 1-based epoch.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The 1-based batch of the epoch that just ended (0 before the first).</summary>
    public int Batch { get; internal set; }

    /// <summary>Mean loss of the batch that just ended.</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>The scheduled learning rate (before parameter-group multipliers) of the current batch.</summary>
    public double LearningRate { get; internal set; }

    /// <summary>Whether a callback asked to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training after the current epoch completes (validation, callbacks and checkpoint
    /// included). The history is then shorter than the epochs asked for; it does not count as
    /// early stopping.
    /// </summary>
    public void RequestStop() => StopRequested = true;

    /// <summary>Whether a callback asked to stop after the current batch (<see cref="RequestStopAfterBatch"/>).</summary>
    public bool StopAfterBatchRequested { get; private set; }

    /// <summary>
    /// Ends training after the current batch: the epoch ends there (its metrics cover the batches run,
    /// then validation, callbacks and checkpoint run as after any epoch) and no other epoch starts.
    /// </summary>
    public void RequestStopAfterBatch()
    {
        StopAfterBatchRequested = true;
        StopRequested = true;
    }

    /// <summary>Whether a NaN or infinite loss ends the run instead of throwing (<see cref="TrainingHooks.NonFiniteLossEndsRun"/>).</summary>
    public bool NonFiniteLossEndsRun { get; init; }

    /// <summary>Whether the run ended on a NaN or infinite loss (with <see cref="NonFiniteLossEndsRun"/>).</summary>
    public bool EndedOnNonFiniteLoss { get; internal set; }
}

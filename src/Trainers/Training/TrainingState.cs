using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>Everything of a running training that a <see cref="Checkpoint"/> saves and restores.</summary>
/// <param name="Network">The network (parameters and buffers).</param>
/// <param name="Optimizer">The optimiser (its per-parameter state and group options).</param>
/// <param name="Scheduler">The learning-rate scheduler.</param>
/// <param name="EarlyStopping">Best value, best epoch, bad epochs and best weights.</param>
/// <param name="History">The epochs run so far.</param>
/// <param name="Epochs">Epochs of the whole run.</param>
/// <param name="StepsPerEpoch">Batches per epoch.</param>
internal sealed record TrainingState(
    nn.Module Network,
    OptimizerHelper Optimizer,
    ILearningRateScheduler Scheduler,
    EarlyStopping EarlyStopping,
    List<EpochMetrics> History,
    int Epochs,
    long StepsPerEpoch);

namespace DeepLearning.Trainers.Training;

/// <summary>
/// What a trainer can plug into the <see cref="TrainingLoop"/> besides the network, task and data.
/// Every hook is optional.
/// </summary>
internal sealed class TrainingHooks
{
    /// <summary>No hooks.</summary>
    public static TrainingHooks None { get; } = new();

    /// <summary>
    /// Chooses each epoch's row order of a random-access (cached) training source. Default
    /// <see langword="null"/>: <see cref="ShuffleSampler"/> (a permutation seeded by seed and epoch,
    /// or the rows in order when <see cref="TrainingOptions.Shuffle"/> is off).
    /// </summary>
    public IBatchSampler? Sampler { get; init; }

    /// <summary>Transforms training batches (never validation batches). Default <see langword="null"/>: none.</summary>
    public IBatchAugmentation? Augmentation { get; init; }

    /// <summary>Learning-rate multipliers for parameters selected by name prefix. Default none: one group at the scheduled rate.</summary>
    public IReadOnlyList<ParameterGroup> ParameterGroups { get; init; } = [];

    /// <summary>Modules kept frozen (no updates, batch-norm statistics fixed) until a given epoch. Default none.</summary>
    public IReadOnlyList<FreezeSpec> Freezes { get; init; } = [];

    /// <summary>Called at epoch start and end and after every training batch, in order. Default none.</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// Whether a batch whose loss is NaN or infinite ends the run quietly (its optimiser step skipped, the
    /// epoch ended there, <see cref="TrainingContext.EndedOnNonFiniteLoss"/> set) instead of throwing.
    /// Default <see langword="false"/>: training throws naming the epoch, batch and rate. The learning-rate
    /// finder sets it: divergence is its stopping signal.
    /// </summary>
    public bool NonFiniteLossEndsRun { get; init; }

    /// <summary>These hooks with <paramref name="callback"/> called after the others.</summary>
    /// <param name="callback">The callback to add.</param>
    /// <param name="nonFiniteLossEndsRun">The new value of <see cref="NonFiniteLossEndsRun"/>.</param>
    public TrainingHooks With(TrainingCallback callback, bool nonFiniteLossEndsRun) => new()
    {
        Sampler = Sampler,
        Augmentation = Augmentation,
        ParameterGroups = ParameterGroups,
        Freezes = Freezes,
        Callbacks = [.. Callbacks, callback],
        NonFiniteLossEndsRun = nonFiniteLossEndsRun,
    };
}

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
}

namespace DeepLearning.Trainers.Training;

/// <summary>
/// An immutable description of how the learning rate changes during training. The loop calls
/// <see cref="Start"/> once per <c>Fit</c> to get a fresh stateful scheduler.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Throws an exception naming the schedule's invalid option and its value.</summary>
    public abstract void Validate();

    /// <summary>Starts a scheduler for one training run.</summary>
    /// <param name="baseLearningRate">The optimiser's initial learning rate.</param>
    /// <param name="epochs">Number of epochs of the run.</param>
    /// <param name="stepsPerEpoch">Number of mini-batches per epoch.</param>
    public abstract ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch);
}

/// <summary>The state of a <see cref="LearningRateSchedule"/> during one training run.</summary>
public interface ILearningRateScheduler
{
    /// <summary>The learning rate to use for the next mini-batch.</summary>
    double Current { get; }

    /// <summary>Called after each optimiser step.</summary>
    void OnStep();

    /// <summary>Called after each epoch with its validation loss, when there is a validation set.</summary>
    /// <param name="validationLoss">Validation loss of the epoch, or <see langword="null"/>.</param>
    void OnEpochEnd(double? validationLoss);

    /// <summary>
    /// The scheduler's state (e.g. the number of steps taken) as numbers, written into training
    /// checkpoints so that a resumed run continues the schedule exactly.
    /// </summary>
    double[] SaveState();

    /// <summary>Restores a state returned by <see cref="SaveState"/> of a scheduler started with the same arguments.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="InvalidDataException">The state does not belong to this kind of scheduler.</exception>
    void RestoreState(IReadOnlyList<double> state);
}

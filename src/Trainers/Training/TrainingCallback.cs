namespace DeepLearning.Trainers.Training;

/// <summary>
/// Code run by the <see cref="TrainingLoop"/> at epoch and batch boundaries, e.g. to log, inspect
/// the network or request a stop. Every method does nothing unless overridden. Tensors a callback
/// creates in <see cref="OnBatchEnd"/> are disposed with the batch.
/// </summary>
internal abstract class TrainingCallback
{
    /// <summary>Before the first batch of an epoch (after freezing is applied).</summary>
    /// <param name="context">The run's state.</param>
    public virtual void OnEpochStart(TrainingContext context)
    {
    }

    /// <summary>After every training batch's optimiser step.</summary>
    /// <param name="context">The run's state, with the batch number and loss.</param>
    public virtual void OnBatchEnd(TrainingContext context)
    {
    }

    /// <summary>After an epoch's validation, early-stopping decision and history entry, before its checkpoint.</summary>
    /// <param name="context">The run's state.</param>
    /// <param name="metrics">What the epoch measured.</param>
    public virtual void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
    }
}

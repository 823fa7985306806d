namespace DeepLearning.Trainers.Tuning;

/// <summary>Where a trial is in its life.</summary>
public enum TrialState
{
    /// <summary>Enqueued, not yet claimed by a worker.</summary>
    Waiting,

    /// <summary>Claimed by a worker that sends heartbeats while it runs.</summary>
    Running,

    /// <summary>Finished with a value.</summary>
    Complete,

    /// <summary>Stopped early by the pruner.</summary>
    Pruned,

    /// <summary>Threw, returned NaN, or its worker stopped sending heartbeats (crashed).</summary>
    Failed,
}

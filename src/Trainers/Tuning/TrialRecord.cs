namespace DeepLearning.Trainers.Tuning;

/// <summary>One trial of a study as stored.</summary>
/// <param name="Number">0-based number of the trial in its study.</param>
/// <param name="State">Where the trial is in its life.</param>
/// <param name="Parameters">Its hyper-parameter values.</param>
/// <param name="Value">The objective's value when complete; otherwise <see langword="null"/>.</param>
/// <param name="Metrics">Other metrics it reported (those the constraints read).</param>
/// <param name="Feasible">Whether it satisfied every constraint (false until complete).</param>
/// <param name="WorkerId">The worker that claimed it, if any.</param>
/// <param name="Started">When it was claimed (UTC), if it was.</param>
/// <param name="Finished">When it completed, was pruned or failed (UTC), if it did.</param>
/// <param name="Error">Why it failed (the exception's type and message, a NaN value, or a lost heartbeat); otherwise <see langword="null"/>.</param>
/// <param name="IntermediateValues">Values reported during the trial by step (epoch).</param>
public sealed record TrialRecord(
    int Number,
    TrialState State,
    TrialParameters Parameters,
    double? Value,
    IReadOnlyDictionary<string, double> Metrics,
    bool Feasible,
    string? WorkerId,
    DateTime? Started,
    DateTime? Finished,
    string? Error,
    IReadOnlyDictionary<int, double> IntermediateValues)
{
    /// <summary>Wall-clock time from claim to end, when both are known.</summary>
    public TimeSpan? Duration => Started is { } s && Finished is { } f ? f - s : null;
}

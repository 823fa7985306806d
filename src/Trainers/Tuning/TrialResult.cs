namespace DeepLearning.Trainers.Tuning;

/// <summary>What a trial measured: the objective's value and any other metrics (those the constraints read, timings, sizes).</summary>
/// <param name="Value">The optimising metric; a NaN value fails the trial.</param>
/// <param name="Metrics">Other metrics by name. Default none.</param>
public sealed record TrialResult(double Value, IReadOnlyDictionary<string, double>? Metrics = null);

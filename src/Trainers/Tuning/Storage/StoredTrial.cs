namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>A trial's row as stored (times in Unix milliseconds).</summary>
internal sealed record StoredTrial(
    int Number,
    TrialState State,
    string ParametersJson,
    double? Value,
    string? MetricsJson,
    bool Feasible,
    string? Worker,
    long? StartedMs,
    long? FinishedMs,
    string? Error,
    IReadOnlyDictionary<int, double> Intermediate);

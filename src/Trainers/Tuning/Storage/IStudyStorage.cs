namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>
/// Where a study's trials live: in memory, in a SQLite file or in a PostgreSQL database. Every
/// operation is atomic, so workers in several processes or on several machines can share one study.
/// </summary>
internal interface IStudyStorage : IDisposable
{
    /// <summary>The error of a trial failed because its worker stopped sending heartbeats.</summary>
    const string StaleError = "its worker stopped sending heartbeats (crashed or unreachable)";

    /// <summary>Creates the study if missing and returns its id; throws when it exists with the other direction.</summary>
    long OpenStudy(string name, bool maximize);

    /// <summary>Adds trials numbered 0, 1, … with these parameters unless a trial of that number exists (idempotent).</summary>
    void Enqueue(long study, IReadOnlyList<string> parametersJson);

    /// <summary>Atomically moves the lowest-numbered waiting trial to running for <paramref name="worker"/>; null when none waits.</summary>
    ClaimedTrial? Claim(long study, string worker, long nowMs);

    /// <summary>Records that the trial's worker is alive.</summary>
    void Heartbeat(long trial, long nowMs);

    /// <summary>Stores (or replaces) an intermediate value of the trial.</summary>
    void Report(long trial, int step, double value);

    /// <summary>The intermediate values every trial of the study reported at <paramref name="step"/>, by trial number.</summary>
    IReadOnlyList<(int Number, double Value)> ValuesAt(long study, int step);

    /// <summary>Ends a running trial (no effect when it is no longer running, e.g. failed as stale); <paramref name="error"/> says why a trial failed.</summary>
    void Finish(long trial, TrialState state, double? value, string metricsJson, bool feasible, string? error, long nowMs);

    /// <summary>Marks failed (with <see cref="StaleError"/>) every running trial whose last heartbeat is older than <paramref name="staleBeforeMs"/>; returns how many.</summary>
    int FailStale(long study, long staleBeforeMs, long nowMs);

    /// <summary>Every trial of the study with its intermediate values, by number.</summary>
    IReadOnlyList<StoredTrial> Trials(long study);
}

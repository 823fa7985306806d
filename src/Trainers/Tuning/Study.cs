using System.Text.Json;
using DeepLearning.Trainers.Tuning.Storage;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// A hyper-parameter search stored like Optuna's: opening a study (by name, in a storage URL)
/// creates it or resumes it and enqueues the sampler's trials once; <see cref="Optimize"/> makes
/// this process a worker that claims waiting trials one at a time until none is left. Start the
/// same program on more processes or machines against the same storage to share the work: every
/// trial runs exactly once, pruning decisions are shared, and a crashed worker's trial is marked
/// failed by the others.
/// </summary>
public sealed class Study : IDisposable
{
    private readonly IStudyStorage _storage;
    private readonly long _id;
    private readonly StudyOptions _options;
    private readonly string _worker;

    /// <summary>Opens (creating or resuming) the study and enqueues its trials.</summary>
    /// <param name="space">The hyper-parameters and their distributions; not empty.</param>
    /// <param name="objective">What to optimise, subject to which constraints.</param>
    /// <param name="options">Storage, name, budget, sampler and pruner. Default <see cref="StudyOptions"/>'s defaults.</param>
    /// <exception cref="InvalidOperationException">The storage cannot be reached (the message names its URL, password masked).</exception>
    public Study(SearchSpace space, TuningObjective objective, StudyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        space.Validate();
        TrialColumns.CheckNames(space, objective);
        _options = options ?? new StudyOptions();
        _options.Validate();
        (Space, Objective) = (space, objective);
        _worker = _options.WorkerId ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
        var trials = _options.Sampler.Sample(space, _options.Trials);
        _storage = StudyStorage.Open(_options.Storage);
        try
        {
            _id = _storage.OpenStudy(_options.StudyName, objective.Maximize);
            _storage.Enqueue(_id, [.. trials.Select(t => t.ToJson())]);
        }
        catch
        {
            _storage.Dispose();
            throw;
        }
    }

    /// <summary>The searched hyper-parameters.</summary>
    public SearchSpace Space { get; }

    /// <summary>What the study optimises.</summary>
    public TuningObjective Objective { get; }

    /// <summary>
    /// Works on the study: claims waiting trials one at a time and runs <paramref name="objective"/>
    /// on each until none waits; then (by default) waits for other workers' running trials and
    /// returns the results. A trial that throws or returns NaN is failed; one its pruner stops is pruned.
    /// </summary>
    /// <param name="objective">Runs one trial: trains with its parameters (reporting intermediate values) and returns what it measured.</param>
    /// <returns>Every trial of the study.</returns>
    public StudyResults Optimize(Func<Trial, TrialResult> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        while (true)
        {
            FailStale();
            var claimed = _storage.Claim(_id, _worker, Now());
            if (claimed is null)
            {
                break;
            }

            Run(new Trial(_storage, _id, claimed, _options.Pruner, Objective.Maximize), claimed.Id, objective);
        }

        var poll = TimeSpan.FromMilliseconds(Math.Min(1000, _options.HeartbeatInterval.TotalMilliseconds / 2));
        while (_options.WaitForOtherWorkers && _storage.Trials(_id).Any(t => t.State == TrialState.Running))
        {
            Thread.Sleep(poll);
            FailStale();
        }

        return Results();
    }

    /// <summary>The study's trials as stored now.</summary>
    /// <returns>The results.</returns>
    public StudyResults Results()
        => new(Space, Objective, [.. _storage.Trials(_id).Select(ToRecord)]);

    /// <inheritdoc />
    public void Dispose() => _storage.Dispose();

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static TrialRecord ToRecord(StoredTrial t) => new(
        t.Number,
        t.State,
        TrialParameters.FromJson(t.ParametersJson),
        t.Value,
        t.MetricsJson is null ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(t.MetricsJson)!,
        t.Feasible,
        t.Worker,
        t.StartedMs is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s).UtcDateTime : null,
        t.FinishedMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f).UtcDateTime : null,
        t.Error,
        t.Intermediate);

    private void FailStale()
    {
        var now = Now();
        _storage.FailStale(_id, now - (long)_options.HeartbeatGrace.TotalMilliseconds, now);
    }

    private void Run(Trial trial, long id, Func<Trial, TrialResult> objective)
    {
        TrialResult? result = null;
        string? error = null;
        using (new Timer(_ => Beat(id), null, _options.HeartbeatInterval, _options.HeartbeatInterval))
        {
            try
            {
                result = objective(trial);
            }
            catch (Exception e) when (!trial.IsPruned)
            {
                // A failing trial does not stop the study; it is stored as failed below.
                error = $"{e.GetType().Name}: {e.Message}";
            }
            catch (Exception)
            {
                // A pruned trial may stop by throwing (OperationCanceledException from a trainer).
            }
        }

        var metrics = (result?.Metrics ?? new Dictionary<string, double>()).Where(m => double.IsFinite(m.Value)).ToDictionary();
        var json = JsonSerializer.Serialize(metrics);
        var (state, value) = trial.IsPruned ? (TrialState.Pruned, trial.LastValue)
            : result is null || double.IsNaN(result.Value) ? (TrialState.Failed, (double?)null)
            : (TrialState.Complete, result.Value);
        if (state == TrialState.Failed && error is null)
        {
            error = "the objective returned NaN";
        }

        _storage.Finish(id, state, value, json, state == TrialState.Complete && Objective.IsFeasible(metrics), error, Now());
    }

    private void Beat(long id)
    {
        try
        {
            _storage.Heartbeat(id, Now());
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // A missed heartbeat is harmless unless the storage stays unreachable past the grace period.
        }
    }
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>Where a study is stored, which trials it runs and how its workers behave.</summary>
public sealed class StudyOptions
{
    /// <summary>
    /// The study storage URL: <c>memory</c> (this process only), <c>sqlite:PATH</c> (a file that
    /// processes on one machine share; created if missing) or
    /// <c>postgresql://user:password@host:port/database</c> (workers on several machines). Default <c>memory</c>.
    /// </summary>
    public string Storage { get; set; } = "memory";

    /// <summary>The study's name in its storage; opening an existing name resumes it. Default <c>study</c>; non-empty.</summary>
    public string StudyName { get; set; } = "study";

    /// <summary>The trial budget: how many trials the sampler enqueues (a grid may give fewer). Default 20; at least 1.</summary>
    public int Trials { get; set; } = 20;

    /// <summary>
    /// Chooses the trials' parameters. Default <see cref="RandomSampler"/> with seed 1. Trials are
    /// numbered 0, 1, …; a resumed study keeps the parameters of the numbers it already has and adds
    /// only the new numbers, so use the same sampler and seed in every worker and on every resume.
    /// </summary>
    public TrialSampler Sampler { get; set; } = new RandomSampler();

    /// <summary>Stops unpromising trials early. Default <see langword="null"/>: no pruning.</summary>
    public TrialPruner? Pruner { get; set; }

    /// <summary>This worker's name in the storage. Default <see langword="null"/>: machine name, process id and a random suffix.</summary>
    public string? WorkerId { get; set; }

    /// <summary>How often a running trial's worker records that it is alive. Default 5 s; greater than 0.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A running trial whose last heartbeat is older than this is marked failed by any worker (its
    /// worker crashed). Default 60 s; greater than <see cref="HeartbeatInterval"/> (allow for clock
    /// differences between machines).
    /// </summary>
    public TimeSpan HeartbeatGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether a worker that finds no waiting trial waits for the other workers' running trials before returning the results. Default <see langword="true"/>.</summary>
    public bool WaitForOtherWorkers { get; set; } = true;

    /// <summary>Throws naming the first invalid option.</summary>
    internal void Validate()
    {
        OptionCheck.RequireName(Storage, nameof(Storage));
        OptionCheck.RequireName(StudyName, nameof(StudyName));
        OptionCheck.Require(Trials >= 1, Trials, nameof(Trials), "at least 1");
        ArgumentNullException.ThrowIfNull(Sampler, nameof(Sampler));
        OptionCheck.Require(HeartbeatInterval > TimeSpan.Zero, HeartbeatInterval, nameof(HeartbeatInterval), "greater than 0");
        OptionCheck.Require(HeartbeatGrace > HeartbeatInterval, HeartbeatGrace, nameof(HeartbeatGrace), $"greater than HeartbeatInterval = {HeartbeatInterval}");
        if (WorkerId is not null)
        {
            OptionCheck.RequireName(WorkerId, nameof(WorkerId));
        }
    }
}

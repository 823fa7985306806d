using DeepLearning.Trainers.Tuning;
using DeepLearning.Trainers.Tuning.Storage;

namespace DeepLearning.Tests.Tuning;

/// <summary>
/// Several worker processes on one study, in SQLite and in PostgreSQL: every trial runs exactly
/// once, the workers agree on the best, and a killed worker's trial ends failed while the study
/// stays usable. The PostgreSQL test reads its server's URL from DL_POSTGRES_URL (which
/// <c>.ci/run</c> sets after starting a server); without it the test says so and returns, unless
/// DL_EXPECT_POSTGRES=1, when it fails.
/// </summary>
public sealed class SharedStudyTests : TempDirectoryTest
{
    private const int Trials = 12;

    [Fact]
    public void TwoWorkersOnOneSqliteStudyRunEveryTrialOnceAndAgreeOnTheBest()
        => TwoWorkersShareTheStudy($"sqlite:{Path.Combine(Dir, "study.db")}", "shared");

    [Fact]
    public void TwoWorkersOnOnePostgresStudyRunEveryTrialOnceAndAgreeOnTheBest()
    {
        var url = Environment.GetEnvironmentVariable("DL_POSTGRES_URL");
        if (string.IsNullOrEmpty(url))
        {
            Assert.False(Environment.GetEnvironmentVariable("DL_EXPECT_POSTGRES") == "1", "DL_EXPECT_POSTGRES=1 but DL_POSTGRES_URL is not set.");
            Console.WriteLine("SharedStudyTests: DL_POSTGRES_URL is not set (postgresql://user:password@host:port/database); the PostgreSQL test is skipped.");
            return;
        }

        TwoWorkersShareTheStudy(url, "shared-" + Guid.NewGuid().ToString("N"));
    }

    [Fact]
    public void AKilledWorkersTrialIsFailedAndTheStudyStaysUsable()
    {
        var storage = $"sqlite:{Path.Combine(Dir, "killed.db")}";
        using (var crashing = new WorkerProcess(storage, "killed", Trials, epochMs: 20, heartbeatMs: 200, graceMs: 2000, hangOn: 2))
        {
            crashing.WaitForLine("hanging 2");
            crashing.Kill();
        }

        using var survivor = new WorkerProcess(storage, "killed", Trials, epochMs: 20, heartbeatMs: 200, graceMs: 2000);
        survivor.WaitForExit();

        var trials = Stored(storage, "killed");
        Assert.Equal(TrialState.Failed, trials[2].State);
        Assert.All(trials.Where(t => t.Number != 2), t => Assert.Contains(t.State, new[] { TrialState.Complete, TrialState.Pruned }));
        Assert.DoesNotContain(2, survivor.Ran);
        Assert.StartsWith("best ", survivor.Best);
        Assert.NotEqual("best none", survivor.Best);
    }

    private static void TwoWorkersShareTheStudy(string storage, string study)
    {
        using var first = new WorkerProcess(storage, study, Trials, epochMs: 60);
        using var second = new WorkerProcess(storage, study, Trials, epochMs: 60);
        first.WaitForExit();
        second.WaitForExit();

        Assert.Equal(Enumerable.Range(0, Trials), first.Ran.Concat(second.Ran).Order());
        Assert.Equal(first.Best, second.Best);
        var trials = Stored(storage, study);
        Assert.Equal(Trials, trials.Count);
        Assert.All(trials, t => Assert.Contains(t.State, new[] { TrialState.Complete, TrialState.Pruned }));
        var best = trials.Where(t => t.State == TrialState.Complete).MaxBy(t => t.Value)!;
        Assert.Equal($"best {best.Number} {best.Value!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", first.Best);
    }

    private static IReadOnlyList<StoredTrial> Stored(string url, string study)
    {
        using var storage = StudyStorage.Open(url);
        return storage.Trials(storage.OpenStudy(study, maximize: true));
    }
}

using DeepLearning.Trainers.Tuning;
using DeepLearning.Trainers.Tuning.Storage;

namespace DeepLearning.Tests.Tuning;

/// <summary>Studies in memory and in SQLite: every trial once, constraints, failures, pruning by cancellation, resuming, stale trials and bad storage URLs.</summary>
public sealed class StudyTests : TempDirectoryTest
{
    private static readonly SearchSpace Space = new SearchSpace().Uniform("X", 0, 1).LogUniform("Rate", 1e-3, 1).Categorical("Kind", "a", "b");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryTrialRunsOnceAndTheBestFeasibleWins(bool sqlite)
    {
        var objective = TuningObjective.Maximizing("Score").SubjectTo("Size", atMost: 0.5);
        var options = new StudyOptions { Storage = sqlite ? $"sqlite:{Path.Combine(Dir, "s.db")}" : "memory", Trials = 12 };
        using var study = new Study(Space, objective, options);
        var seen = new List<int>();
        var results = study.Optimize(trial =>
        {
            seen.Add(trial.Number);
            var x = trial.Parameters.GetDouble("X");
            return new TrialResult(x, new Dictionary<string, double> { ["Size"] = x });
        });

        Assert.Equal(Enumerable.Range(0, 12), seen.Order());
        Assert.All(results.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        var feasible = results.Trials.Where(t => t.Parameters.GetDouble("X") <= 0.5).ToList();
        Assert.NotEmpty(feasible);
        Assert.Contains(results.Trials, t => t.Value > 0.5 && !t.Feasible);
        Assert.Equal(feasible.MaxBy(t => t.Value)!.Number, results.BestTrial!.Number);
        Assert.Equal(new RandomSampler().Sample(Space, 12).Select(p => p.ToString()), results.Trials.Select(t => t.Parameters.ToString()));
        Assert.StartsWith("rank", results.ToRankedTable());
        Assert.Contains("infeasible", results.ToRankedTable());
    }

    [Fact]
    public void FailuresAndPrunedTrialsAreRecordedAndTheStudyGoesOn()
    {
        var options = new StudyOptions { Trials = 6, Pruner = new SuccessiveHalvingPruner(1, 2) };
        using var study = new Study(Space, TuningObjective.Maximizing("Score"), options);
        var results = study.Optimize(trial => trial.Number switch
        {
            0 => new TrialResult(double.NaN),
            1 => throw new InvalidOperationException("diverged"),
            2 => Report(trial, 0.9),
            3 => Report(trial, 0.1),
            _ => new TrialResult(0.5),
        });

        Assert.Equal([TrialState.Failed, TrialState.Failed, TrialState.Complete, TrialState.Pruned, TrialState.Complete, TrialState.Complete], results.Trials.Select(t => t.State));
        Assert.Equal(0.1, results.Trials[3].Value);
        Assert.Equal("the objective returned NaN", results.Trials[0].Error);
        Assert.Equal("InvalidOperationException: diverged", results.Trials[1].Error);
        Assert.Null(results.Trials[2].Error);
        Assert.Equal(2, results.BestTrial!.Number);
    }

    [Fact]
    public void AStudyResumesAndEnqueuesOnlyTheNewTrials()
    {
        var options = new StudyOptions { Storage = $"sqlite:{Path.Combine(Dir, "resume.db")}", StudyName = "r", Trials = 5 };
        var calls = 0;
        using (var first = new Study(Space, TuningObjective.Minimizing("Loss"), options))
        {
            first.Optimize(t => new TrialResult(++calls));
        }

        options.Trials = 8;
        using var second = new Study(Space, TuningObjective.Minimizing("Loss"), options);
        var results = second.Optimize(t => new TrialResult(++calls));

        Assert.Equal(8, calls);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (double?)v), results.Trials.Select(t => t.Value));
        Assert.Equal(0, results.BestTrial!.Number);
        Assert.Contains("minimizes", Assert.Throws<InvalidOperationException>(() => new Study(Space, TuningObjective.Maximizing("Loss"), options)).Message);
    }

    [Fact]
    public void ATrialWhoseWorkerStoppedBeatingIsFailedAndTheOthersRun()
    {
        var path = Path.Combine(Dir, "stale.db");
        using (var storage = new SqliteStudyStorage(path))
        {
            var id = storage.OpenStudy("s", maximize: true);
            storage.Enqueue(id, [.. new RandomSampler().Sample(Space, 4).Select(p => p.ToJson())]);
            var hourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
            Assert.Equal(0, storage.Claim(id, "crashed", hourAgo)!.Number);
        }

        var options = new StudyOptions { Storage = $"sqlite:{path}", StudyName = "s", Trials = 4 };
        using var study = new Study(Space, TuningObjective.Maximizing("Score"), options);
        var results = study.Optimize(t => new TrialResult(t.Number));

        Assert.Equal([TrialState.Failed, TrialState.Complete, TrialState.Complete, TrialState.Complete], results.Trials.Select(t => t.State));
        Assert.Equal("crashed", results.Trials[0].WorkerId);
        Assert.Contains("heartbeats", results.Trials[0].Error);
        Assert.Equal(3, results.BestTrial!.Number);
    }

    [Fact]
    public void BadOrUnreachableStorageNamesTheUrlWithoutThePassword()
    {
        var objective = TuningObjective.Maximizing("Score");
        var unreachable = Assert.Throws<InvalidOperationException>(() => new Study(Space, objective, new StudyOptions { Storage = "postgresql://tuner:secret@127.0.0.1:1/studies" }));
        Assert.Contains("postgresql://tuner:***@127.0.0.1:1/studies", unreachable.Message);
        Assert.DoesNotContain("secret", unreachable.Message);

        var missingFolder = Path.Combine(Dir, "no", "such", "folder", "s.db");
        Assert.Contains(missingFolder, Assert.Throws<InvalidOperationException>(() => new Study(Space, objective, new StudyOptions { Storage = "sqlite:" + missingFolder })).Message);
        Assert.Contains("mysql://x", Assert.Throws<ArgumentException>(() => new Study(Space, objective, new StudyOptions { Storage = "mysql://x" })).Message);
        Assert.Contains("Trials = 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Study(Space, objective, new StudyOptions { Trials = 0 })).Message);
    }

    [Fact]
    public void PostgresUrlsBecomeConnectionStringsAndPasswordsAreMasked()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(StudyStorage.PostgresConnectionString("postgres://tuner:p%40ss@db.example/studies"));
        Assert.Equal(("db.example", 5432, "studies", "tuner", "p@ss"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(6543, new Npgsql.NpgsqlConnectionStringBuilder(StudyStorage.PostgresConnectionString("postgresql://u@h:6543/d")).Port);
        Assert.Equal("postgresql://tuner:***@db:5432/s", StudyStorage.Mask("postgresql://tuner:p@ss:word@db:5432/s"));
        Assert.Equal("sqlite:/tmp/a.db", StudyStorage.Mask("sqlite:/tmp/a.db"));
        Assert.Contains("postgresql://user:password@host:port/database", Assert.Throws<ArgumentException>(() => StudyStorage.Open("postgresql://h")).Message);
    }

    private static TrialResult Report(Trial trial, double value)
    {
        for (var epoch = 1; epoch <= 4; epoch++)
        {
            trial.Report(epoch, value);
            trial.CancellationToken.ThrowIfCancellationRequested();
        }

        return new TrialResult(value);
    }
}

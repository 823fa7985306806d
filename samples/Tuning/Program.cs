using System.Diagnostics;
using DeepLearning.Samples.Tuning;
using DeepLearning.Trainers.Tuning;
using Microsoft.ML;

// Tunes the deep network on Fashion-MNIST: random search against grid search under the same
// trial budget, then two worker processes sharing one SQLite study with ASHA pruning. With
// "worker --storage URL --study NAME" it is one worker of a shared study: start the same command
// on more processes or machines to scale out.
return SampleEntry.Run(args, TuningSampleOptions.Parse, TuningSampleOptions.Usage, options => options.Worker ? Worker(options) : Main(options));

static int Worker(TuningSampleOptions options)
{
    var setup = new TuningSetup(new MLContext(seed: 1), options);
    Study study;
    try
    {
        study = new Study(TuningSetup.Space(), TuningSetup.Goal(), WorkerStudy(options, options.Storage!));
    }
    catch (Exception e) when (e is InvalidOperationException or ArgumentException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    using var opened = study;
    var results = study.Optimize(setup.Objective.Run);
    Console.WriteLine($"worker {Environment.ProcessId}: ran {results.Trials.Count(t => t.WorkerId?.Contains($":{Environment.ProcessId}:", StringComparison.Ordinal) == true)} trial(s); best: {results.BestTrial?.Parameters.ToString() ?? "none"}");
    return 0;
}

static int Main(TuningSampleOptions options)
{
    var ml = new MLContext(seed: 1);
    var setup = new TuningSetup(ml, options);
    Directory.CreateDirectory(options.OutputPath);
    Console.WriteLine($"Data: {setup.Description}, {options.Rows} training rows (a fifth as dev); {options.Trials} trials of {options.Epochs} epoch(s), {options.Threads} torch thread(s) each.");
    Console.WriteLine($"Search space:{Environment.NewLine}{TuningSetup.Space()}");
    Console.WriteLine();

    var summary = new List<(string Name, StudyResults Results, double Seconds)>();
    foreach (var (name, sampler) in new (string, TrialSampler)[] { ("random", new RandomSampler(seed: 1)), ("grid", TuningSetup.Grid()) })
    {
        using var study = new Study(TuningSetup.Space(), TuningSetup.Goal(), new StudyOptions { Trials = options.Trials, Sampler = sampler, StudyName = name });
        var clock = Stopwatch.StartNew();
        var results = study.Optimize(setup.Objective.Run);
        summary.Add((name, results, clock.Elapsed.TotalSeconds));
        Console.WriteLine($"{name} search ({clock.Elapsed.TotalSeconds:F1} s):");
        Console.WriteLine(results.ToRankedTable(top: 5));
        results.WriteCsv(Path.Combine(options.OutputPath, $"{name}-trials.csv"));
        results.PlotObjective(Path.Combine(options.OutputPath, $"{name}-objective.png"));
    }

    var database = Path.Combine(options.OutputPath, "study.db");
    foreach (var file in new[] { database, database + "-wal", database + "-shm" })
    {
        File.Delete(file);
    }

    var storage = "sqlite:" + database;
    Console.WriteLine($"Two workers on one study ({storage}, study '{options.Study}', {(options.Pruning ? "ASHA pruning" : "no pruning")}):");
    var shared = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, 2).Select(_ => StartWorker(options, storage)).ToList();
    workers.ForEach(w => w.WaitForExit());
    var seconds = shared.Elapsed.TotalSeconds;
    if (workers.Any(w => w.ExitCode != 0))
    {
        Console.Error.WriteLine("A worker failed.");
        return 1;
    }

    using var sharedStudy = new Study(TuningSetup.Space(), TuningSetup.Goal(), WorkerStudy(options, storage));
    var sharedResults = sharedStudy.Results();
    summary.Add((options.Pruning ? "2 workers, ASHA" : "2 workers", sharedResults, seconds));
    Console.WriteLine(sharedResults.ToRankedTable(top: 5));
    sharedResults.WriteCsv(Path.Combine(options.OutputPath, "shared-trials.csv"));

    Console.WriteLine("Search            trials  complete  pruned  best dev acc  seconds");
    foreach (var (name, results, time) in summary)
    {
        Console.WriteLine($"{name,-16}  {results.Trials.Count,6}  {results.Trials.Count(t => t.State == TrialState.Complete),8}  {results.Trials.Count(t => t.State == TrialState.Pruned),6}  {results.BestTrial?.Value,12:P2}  {time,7:F1}");
    }

    var best = summary.Select(s => s.Results.BestTrial).OfType<TrialRecord>().MaxBy(t => t.Value);
    if (best is null)
    {
        Console.WriteLine("No trial satisfied the constraints.");
        return 1;
    }

    var model = setup.Objective.Refit(best.Parameters, setup.Train);
    var accuracy = EstimatorObjective.MulticlassAccuracy(ml)(model.Transform(setup.Test));
    Console.WriteLine($"Best trial ({best.Parameters}) refit on the training split: test accuracy {accuracy:P2}.");
    Console.WriteLine($"Results in {options.OutputPath}");
    return 0;
}

static StudyOptions WorkerStudy(TuningSampleOptions options, string storage) => new()
{
    Storage = storage,
    StudyName = options.Study,
    Trials = options.Trials,
    Sampler = new RandomSampler(seed: 2),
    Pruner = options.Pruning ? new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, maxResource: options.Epochs) : null,
};

static Process StartWorker(TuningSampleOptions options, string storage)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!);
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        start.ArgumentList.Add(typeof(TuningSetup).Assembly.Location);
    }

    foreach (var argument in options.WorkerArguments(storage))
    {
        start.ArgumentList.Add(argument);
    }

    return Process.Start(start)!;
}

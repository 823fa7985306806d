using System.Globalization;
using DeepLearning.Trainers.Tuning;

// Usage: DeepLearning.TuningWorker STORAGE STUDY TRIALS EPOCH_MS [HEARTBEAT_MS GRACE_MS]
// Runs trials of a synthetic objective (three epochs of EPOCH_MS each, successive halving on the
// reported values) until none waits, then prints one line per trial it ran ("ran N") and the
// study's best ("best N VALUE"). A trial number equal to the environment variable
// DL_WORKER_HANG_ON makes the worker announce "hanging N" and sleep forever (to be killed).
var storage = args[0];
var study = args[1];
var trials = int.Parse(args[2], CultureInfo.InvariantCulture);
var epochMs = int.Parse(args[3], CultureInfo.InvariantCulture);
var heartbeat = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
var grace = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 30_000;
var hangOn = Environment.GetEnvironmentVariable("DL_WORKER_HANG_ON");

var space = new SearchSpace().LogUniform("LearningRate", 1e-4, 1).Uniform("Dropout", 0, 0.5);
var options = new StudyOptions
{
    Storage = storage,
    StudyName = study,
    Trials = trials,
    Sampler = new RandomSampler(seed: 5),
    Pruner = new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2),
    HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
    HeartbeatGrace = TimeSpan.FromMilliseconds(grace),
};
using var tuning = new Study(space, TuningObjective.Maximizing("Score"), options);
var results = tuning.Optimize(trial =>
{
    Console.WriteLine($"ran {trial.Number}");
    if (hangOn == trial.Number.ToString(CultureInfo.InvariantCulture))
    {
        Console.WriteLine($"hanging {trial.Number}");
        Thread.Sleep(Timeout.Infinite);
    }

    var peak = -Math.Pow(Math.Log10(trial.Parameters.GetDouble("LearningRate") / 1e-2), 2) - trial.Parameters.GetDouble("Dropout");
    var value = 0.0;
    for (var epoch = 1; epoch <= 3 && !trial.CancellationToken.IsCancellationRequested; epoch++)
    {
        Thread.Sleep(epochMs);
        value = peak - (1.0 / epoch);
        trial.Report(epoch, value);
    }

    return new TrialResult(value);
});
var best = results.BestTrial;
Console.WriteLine(best is null ? "best none" : $"best {best.Number} {best.Value!.Value.ToString("R", CultureInfo.InvariantCulture)}");

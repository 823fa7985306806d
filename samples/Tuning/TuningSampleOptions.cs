using System.Globalization;
using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.Tuning;

/// <summary>Command-line options of the tuning sample.</summary>
/// <param name="Worker">Whether this process is a worker (<c>worker</c> first argument) rather than the main run.</param>
/// <param name="Epochs">Epochs per trial.</param>
/// <param name="DataDirectory">Where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputPath">Directory of the results (tables, CSV, plot, the shared SQLite study).</param>
/// <param name="Trials">The trial budget of each search.</param>
/// <param name="Rows">Fashion-MNIST training rows used (a fifth of them is the dev set).</param>
/// <param name="Threads">Torch threads per trial.</param>
/// <param name="Storage">Study storage URL of a worker (main run: a SQLite file in the output directory).</param>
/// <param name="Study">Name of the shared study.</param>
/// <param name="Pruning">Whether the shared study prunes with ASHA.</param>
internal sealed record TuningSampleOptions(bool Worker, int Epochs, string DataDirectory, string OutputPath, int Trials, int Rows, int Threads, string? Storage, string Study, bool Pruning)
{
    /// <summary>Epochs per trial without <c>--epochs</c>.</summary>
    public const int DefaultEpochs = 3;

    /// <summary>Training rows without <c>--rows</c>.</summary>
    public const int DefaultRows = 6000;

    /// <summary>Trials per search without <c>--trials</c> (a 3 × 3 grid).</summary>
    public const int DefaultTrials = 9;

    /// <summary>The help text.</summary>
    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/Tuning -- [worker --storage URL --study NAME] [options]\n"
        + "  (no mode)      random vs grid search on the deep network, then two worker processes on one SQLite study\n"
        + "  worker         work on a shared study until no trial waits: start the same command on more machines\n"
        + "  --storage URL  memory | sqlite:PATH | postgresql://user:password@host:port/database (worker mode)\n"
        + "  --study NAME   the study's name in its storage (default fashion-mnist)\n"
        + $"  --trials N     trial budget of each search (default {DefaultTrials})\n"
        + $"  --epochs N     epochs per trial (default {DefaultEpochs})\n"
        + $"  --rows N       Fashion-MNIST training rows used, a fifth of them as the dev set (default {DefaultRows})\n"
        + "  --threads N    torch threads per trial (default 1)\n"
        + "  --pruning P    asha (default) or none: pruning of the shared study\n"
        + $"  --data DIR     directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + "  --output DIR   results directory (default ./tuning-results)\n"
        + "  --quick        smoke run: 1 epoch, 4 trials, 2000 rows";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static TuningSampleOptions? Parse(string[] args, out string? error)
    {
        var worker = args.Length > 0 && args[0] == "worker";
        int? trials = null, rows = null;
        var threads = 1;
        string? storage = null;
        var study = "fashion-mnist";
        var pruning = true;
        var own = new Dictionary<string, OptionHandler>
        {
            ["--trials"] = v => Positive(v, "--trials", n => trials = n),
            ["--rows"] = v => Positive(v, "--rows", n => rows = n),
            ["--threads"] = v => Positive(v, "--threads", n => threads = n),
            ["--storage"] = v =>
            {
                storage = v;
                return null;
            },
            ["--study"] = v =>
            {
                study = v;
                return null;
            },
            ["--pruning"] = v =>
            {
                pruning = v == "asha";
                return v is "asha" or "none" ? null : $"--pruning takes asha or none, not '{v}'.";
            },
        };
        var common = CommandLine.Parse(worker ? args[1..] : args, "tuning-results", own, out error);
        if (common is null)
        {
            return null;
        }

        if (worker && storage is null)
        {
            error = "worker needs --storage URL.";
            return null;
        }

        return new TuningSampleOptions(
            worker,
            common.EpochsOr(DefaultEpochs),
            common.DataDirectory,
            common.OutputPath,
            trials ?? (common.Quick ? 4 : DefaultTrials),
            rows ?? (common.Quick ? 2000 : DefaultRows),
            threads,
            storage,
            study,
            pruning);
    }

    /// <summary>The arguments that make a worker process tune the same study on the same data.</summary>
    /// <param name="storage">The shared storage URL.</param>
    /// <returns>The worker's arguments.</returns>
    public IEnumerable<string> WorkerArguments(string storage)
        => ["worker", "--storage", storage, "--study", Study, "--trials", Str(Trials), "--epochs", Str(Epochs), "--rows", Str(Rows), "--threads", Str(Threads), "--pruning", Pruning ? "asha" : "none", "--data", DataDirectory, "--output", OutputPath];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Positive(string text, string option, Action<int> set)
    {
        if (!CommandLine.TryPositive(text, option, out var value, out var error))
        {
            return error;
        }

        set(value);
        return null;
    }
}

using System.Globalization;
using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.Diagnosis;

/// <summary>Command-line options of the sample.</summary>
/// <param name="Epochs">Epochs of every fit (the model and each point of the learning curves).</param>
/// <param name="DataDirectory">Where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputDirectory">Where the PNGs are written.</param>
/// <param name="Quick">Smoke run: 1 epoch on <see cref="QuickRows"/> training rows.</param>
/// <param name="TrainingRows">Fashion-MNIST training rows to read (the first ones).</param>
/// <param name="HumanError">The human-level (Bayes proxy) error the diagnosis starts from.</param>
internal sealed record DiagnosisOptions(int Epochs, string DataDirectory, string OutputDirectory, bool Quick, int TrainingRows, double HumanError)
{
    /// <summary>Epochs without <c>--epochs</c>.</summary>
    public const int DefaultEpochs = 5;

    /// <summary>Fashion-MNIST training rows read without <c>--rows</c> (half of them: the run stays short).</summary>
    public const int DefaultRows = 30000;

    /// <summary>Training rows read by a smoke run.</summary>
    public const int QuickRows = 5000;

    /// <summary>
    /// Human-level error without <c>--human-error</c>: a proxy for the Bayes error. The best published
    /// Fashion-MNIST models reach about 96% test accuracy, so the Bayes error is at most about 4%.
    /// </summary>
    public const double DefaultHumanError = 0.04;

    /// <summary>Where the PNGs go without <c>--output</c>, relative to the current directory.</summary>
    public const string DefaultOutput = "diagnosis-output";

    /// <summary>The help text.</summary>
    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/Diagnosis -- [--epochs N] [--rows N] [--human-error E] [--data DIR] [--output DIR] [--quick]\n"
        + $"  --epochs N        epochs of every fit (default {DefaultEpochs})\n"
        + $"  --rows N          Fashion-MNIST training rows to use (default {DefaultRows}; all are 60000)\n"
        + $"  --human-error E   human-level (Bayes proxy) error in [0, 1] (default {DefaultHumanError})\n"
        + $"  --data DIR        directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + $"  --output DIR      where the PNGs are written (default ./{DefaultOutput})\n"
        + $"  --quick           smoke run: 1 epoch on the first {QuickRows} training rows";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static DiagnosisOptions? Parse(string[] args, out string? error)
    {
        int rows = DefaultRows;
        double human = DefaultHumanError;
        var own = new Dictionary<string, OptionHandler>
        {
            ["--rows"] = value => CommandLine.TryPositive(value, "--rows", out var n, out var e) ? Set(() => rows = n) : e,
            ["--human-error"] = value => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is >= 0 and <= 1
                ? Set(() => human = h)
                : $"--human-error needs an error rate in [0, 1], not '{value}'.",
        };
        return CommandLine.Parse(args, DefaultOutput, own, out error) is { } common
            ? new DiagnosisOptions(common.EpochsOr(DefaultEpochs), common.DataDirectory, common.OutputPath, common.Quick, common.Quick ? QuickRows : rows, human)
            : null;
    }

    private static string? Set(Action assign)
    {
        assign();
        return null;
    }
}

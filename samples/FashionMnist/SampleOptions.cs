using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.FashionMnist;

/// <summary>Command-line options of the sample.</summary>
/// <param name="Epochs">Maximum epochs per model (early stopping may end sooner).</param>
/// <param name="DataDirectory">Where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputPath">Where the best model is saved.</param>
/// <param name="Quick">Smoke run: 1 epoch on 5000 training rows.</param>
internal sealed record SampleOptions(int Epochs, string DataDirectory, string OutputPath, bool Quick)
{
    /// <summary>Maximum epochs per model without <c>--epochs</c>.</summary>
    public const int DefaultEpochs = 20;

    /// <summary>Training rows read by a smoke run.</summary>
    public const int QuickRows = 5000;

    /// <summary>Where the best model is saved without <c>--output</c>, relative to the current directory.</summary>
    public const string DefaultOutput = "fashion-mnist-model.zip";

    /// <summary>Training rows to read, or <see langword="null"/> for all of them.</summary>
    public int? MaxTrainingRows => Quick ? QuickRows : null;

    /// <summary>The help text.</summary>
    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/FashionMnist -- [--epochs N] [--data DIR] [--output FILE.zip] [--quick]\n"
        + $"  --epochs N     maximum epochs per model (default {DefaultEpochs})\n"
        + $"  --data DIR     directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + $"  --output FILE  where the best model is saved (default ./{DefaultOutput})\n"
        + $"  --quick        smoke run: 1 epoch on the first {QuickRows} training rows";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static SampleOptions? Parse(string[] args, out string? error)
        => CommandLine.Parse(args, DefaultOutput, new Dictionary<string, OptionHandler>(), out error) is { } common
            ? new SampleOptions(common.EpochsOr(DefaultEpochs), common.DataDirectory, common.OutputPath, common.Quick)
            : null;
}

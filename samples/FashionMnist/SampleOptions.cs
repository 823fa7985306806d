using System.Globalization;
using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.FashionMnist;

/// <summary>Command-line options of the sample.</summary>
/// <param name="Epochs">Maximum epochs per model (early stopping may end sooner).</param>
/// <param name="DataDirectory">Where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputPath">Where the best model is saved.</param>
/// <param name="Quick">Smoke run: 1 epoch on 5000 training rows.</param>
internal sealed record SampleOptions(int Epochs, string DataDirectory, string OutputPath, bool Quick)
{
    public const int DefaultEpochs = 20;
    public const int QuickRows = 5000;
    public const string DefaultOutput = "fashion-mnist-model.zip";

    /// <summary>Training rows to read, or <see langword="null"/> for all of them.</summary>
    public int? MaxTrainingRows => Quick ? QuickRows : null;

    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/FashionMnist -- [--epochs N] [--data DIR] [--output FILE.zip] [--quick]\n"
        + $"  --epochs N     maximum epochs per model (default {DefaultEpochs})\n"
        + $"  --data DIR     directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + $"  --output FILE  where the best model is saved (default ./{DefaultOutput})\n"
        + $"  --quick        smoke run: 1 epoch on the first {QuickRows} training rows";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message.</summary>
    public static SampleOptions? Parse(string[] args, out string? error)
    {
        int? epochs = null;
        string data = IdxDataset.DefaultDirectory;
        string output = Path.Combine(Directory.GetCurrentDirectory(), DefaultOutput);
        bool quick = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            bool hasValue = i + 1 < args.Length;
            switch (arg)
            {
                case "--epochs" when hasValue:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1)
                    {
                        error = $"--epochs needs a positive integer, not '{args[i]}'.";
                        return null;
                    }

                    epochs = n;
                    break;
                case "--data" when hasValue:
                    data = args[++i];
                    break;
                case "--output" when hasValue:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "-h" or "--help":
                    error = string.Empty;
                    return null;
                default:
                    error = $"Unexpected argument '{arg}'.";
                    return null;
            }
        }

        return new SampleOptions(quick ? 1 : epochs ?? DefaultEpochs, data, output, quick);
    }
}

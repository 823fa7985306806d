using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Command-line options of the sample.</summary>
/// <param name="Epochs">Maximum epochs of LeNet-5 and the small CNN (early stopping may end sooner).</param>
/// <param name="ResNetEpochs">Maximum epochs of the ResNet-20, which costs several times more per epoch.</param>
/// <param name="DataDirectory">Where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputDirectory">Where the best model and the plots are written.</param>
/// <param name="Folder">With <c>--folder</c>: the folder of image files (one subfolder per class) to train from; otherwise <see langword="null"/>.</param>
/// <param name="ImagesPerClass">Images per class written when <see cref="Folder"/> is missing or empty.</param>
/// <param name="Quick">Smoke run: 1 epoch per model on the first <see cref="QuickRows"/> training rows.</param>
internal sealed record SampleOptions(
    int Epochs,
    int ResNetEpochs,
    string DataDirectory,
    string OutputDirectory,
    string? Folder,
    int ImagesPerClass,
    bool Quick)
{
    public const int DefaultEpochs = 12;
    public const int DefaultResNetEpochs = 3;
    public const int DefaultImagesPerClass = 300;
    public const int QuickRows = 3000;
    public const int QuickTestRows = 2000;
    public const string DefaultOutput = "image-classification-output";

    /// <summary>Training rows to read, or <see langword="null"/> for all of them.</summary>
    public int? MaxTrainingRows => Quick ? QuickRows : null;

    /// <summary>Test rows to read, or <see langword="null"/> for all of them.</summary>
    public int? MaxTestRows => Quick ? QuickTestRows : null;

    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/ImageClassification -- [--epochs N] [--resnet-epochs N] [--data DIR] [--output DIR]\n"
        + "                                                                       [--folder DIR [--images-per-class N]] [--quick]\n"
        + $"  --epochs N            maximum epochs of LeNet-5 and the small CNN (default {DefaultEpochs})\n"
        + $"  --resnet-epochs N     maximum epochs of the ResNet-20 (default the smaller of --epochs and {DefaultResNetEpochs})\n"
        + $"  --data DIR            directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory})\n"
        + $"  --output DIR          where the best model and the plots are written (default ./{DefaultOutput})\n"
        + "  --folder DIR          train the small CNN from image files, one subfolder per class; a missing or empty\n"
        + "                        DIR is first filled with PNGs from Fashion-MNIST (or synthetic images without it)\n"
        + $"  --images-per-class N  PNGs written per class when --folder has to be filled (default {DefaultImagesPerClass})\n"
        + $"  --quick               smoke run: 1 epoch per model on the first {QuickRows} training rows ({QuickTestRows} test rows)";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static SampleOptions? Parse(string[] args, out string? error)
    {
        int? resNetEpochs = null;
        int imagesPerClass = DefaultImagesPerClass;
        string? folder = null;
        var own = new Dictionary<string, OptionHandler>
        {
            ["--resnet-epochs"] = value => Positive(value, "--resnet-epochs", n => resNetEpochs = n),
            ["--images-per-class"] = value => Positive(value, "--images-per-class", n => imagesPerClass = n),
            ["--folder"] = value =>
            {
                folder = Path.GetFullPath(value);
                return null;
            },
        };
        if (CommandLine.Parse(args, DefaultOutput, own, out error) is not { } common)
        {
            return null;
        }

        int modelEpochs = common.EpochsOr(DefaultEpochs);
        int resNet = common.Quick ? 1 : resNetEpochs ?? Math.Min(modelEpochs, DefaultResNetEpochs);
        return new SampleOptions(modelEpochs, resNet, common.DataDirectory, common.OutputPath, folder, imagesPerClass, common.Quick);
    }

    /// <summary>Reads a positive integer and hands it to <paramref name="set"/>; returns the error, or <see langword="null"/>.</summary>
    private static string? Positive(string text, string option, Action<int> set)
    {
        if (!CommandLine.TryPositive(text, option, out int value, out string? error))
        {
            return error;
        }

        set(value);
        return null;
    }
}

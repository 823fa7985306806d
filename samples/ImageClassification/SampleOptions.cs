using System.Globalization;
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
    public static SampleOptions? Parse(string[] args, out string? error)
    {
        int? epochs = null;
        int? resNetEpochs = null;
        int imagesPerClass = DefaultImagesPerClass;
        string data = IdxDataset.DefaultDirectory;
        string output = Path.Combine(Directory.GetCurrentDirectory(), DefaultOutput);
        string? folder = null;
        bool quick = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            bool hasValue = i + 1 < args.Length;
            switch (arg)
            {
                case "--epochs" when hasValue:
                    if (!TryPositive(args[++i], arg, out int n, out error))
                    {
                        return null;
                    }

                    epochs = n;
                    break;
                case "--resnet-epochs" when hasValue:
                    if (!TryPositive(args[++i], arg, out int r, out error))
                    {
                        return null;
                    }

                    resNetEpochs = r;
                    break;
                case "--images-per-class" when hasValue:
                    if (!TryPositive(args[++i], arg, out imagesPerClass, out error))
                    {
                        return null;
                    }

                    break;
                case "--data" when hasValue:
                    data = args[++i];
                    break;
                case "--output" when hasValue:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--folder" when hasValue:
                    folder = Path.GetFullPath(args[++i]);
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "-h" or "--help":
                    error = string.Empty;
                    return null;
                default:
                    error = arg is "--epochs" or "--resnet-epochs" or "--images-per-class" or "--data" or "--output" or "--folder"
                        ? $"Option '{arg}' needs a value."
                        : $"Unexpected argument '{arg}'.";
                    return null;
            }
        }

        int modelEpochs = quick ? 1 : epochs ?? DefaultEpochs;
        int resNet = quick ? 1 : resNetEpochs ?? Math.Min(modelEpochs, DefaultResNetEpochs);
        return new SampleOptions(modelEpochs, resNet, data, output, folder, imagesPerClass, quick);
    }

    private static bool TryPositive(string text, string option, out int value, out string? error)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 1)
        {
            error = null;
            return true;
        }

        error = $"{option} needs a positive integer, not '{text}'.";
        return false;
    }
}

using System.Globalization;
using DeepLearning.Samples.ImageClassification;
using Microsoft.ML;

// Trains convolutional networks on images through ML.NET pipelines: by default LeNet-5, a small CNN
// and a ResNet-20 with augmentation on Fashion-MNIST, compared on the test set; with --folder, a small
// CNN on a folder of image files streamed from disk. Saves the best model, reloads it, checks that its
// predictions are unchanged, and writes learning curves, a confusion matrix and the most confidently
// wrong images as PNGs.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var options = SampleOptions.Parse(args, out var error);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(SampleOptions.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

var ml = new MLContext(seed: 1);
TrainerLog.ShowBatchSources(ml);
return options.Folder is { } folder
    ? ImageFolderRun.Run(ml, options, folder)
    : FashionMnistRun.Run(ml, options);

/// <summary>The sample's entry point.</summary>
internal static partial class Program
{
    /// <summary>
    /// The exit code of a save-and-reload check: 0 when the reloaded model predicts as the original,
    /// 1 when some predictions differ, 3 when the model could not be saved (2 is a usage error).
    /// </summary>
    public static int ExitCode(int? mismatches) => mismatches switch
    {
        0 => 0,
        null => 3,
        _ => 1,
    };
}

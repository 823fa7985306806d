using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.ObjectDetection;

/// <summary>Command-line options of the sample.</summary>
/// <param name="Epochs">Training epochs.</param>
/// <param name="DataDirectory">Where the Fashion-MNIST IDX files are (geometric shapes are pasted when they are absent).</param>
/// <param name="OutputDirectory">Where the model, the ONNX file and the PNGs are written.</param>
/// <param name="TrainScenes">Training scenes to generate.</param>
internal sealed record ObjectDetectionOptions(int Epochs, string DataDirectory, string OutputDirectory, int TrainScenes)
{
    /// <summary>Epochs without <c>--epochs</c>.</summary>
    public const int DefaultEpochs = 20;

    /// <summary>Training scenes without <c>--scenes</c>.</summary>
    public const int DefaultScenes = 8000;

    /// <summary>Training scenes of a smoke run.</summary>
    public const int QuickScenes = 400;

    /// <summary>Held-out scenes (made from the test images).</summary>
    public const int TestScenes = 500;

    /// <summary>Where the files go without <c>--output</c>, relative to the current directory.</summary>
    public const string DefaultOutput = "object-detection-output";

    /// <summary>The help text.</summary>
    public static string Usage =>
        "Usage: dotnet run -c Release --project samples/ObjectDetection -- [--epochs N] [--scenes N] [--data DIR] [--output DIR] [--quick]\n"
        + $"  --epochs N    training epochs (default {DefaultEpochs})\n"
        + $"  --scenes N    training scenes to generate (default {DefaultScenes}); {TestScenes} held-out scenes are made from the test images\n"
        + $"  --data DIR    directory holding the Fashion-MNIST IDX files (default {IdxDataset.DefaultDirectory}); geometric shapes are used when absent\n"
        + $"  --output DIR  where the model, the ONNX file and the PNGs are written (default ./{DefaultOutput})\n"
        + $"  --quick       smoke run: 1 epoch on {QuickScenes} scenes";

    /// <summary>Parses the arguments; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    public static ObjectDetectionOptions? Parse(string[] args, out string? error)
    {
        int scenes = DefaultScenes;
        var own = new Dictionary<string, OptionHandler>
        {
            ["--scenes"] = value =>
            {
                if (!CommandLine.TryPositive(value, "--scenes", out var n, out var e))
                {
                    return e;
                }

                scenes = n;
                return null;
            },
        };
        return CommandLine.Parse(args, DefaultOutput, own, out error) is { } common
            ? new ObjectDetectionOptions(common.EpochsOr(DefaultEpochs), common.DataDirectory, common.OutputPath, common.Quick ? QuickScenes : scenes)
            : null;
    }
}

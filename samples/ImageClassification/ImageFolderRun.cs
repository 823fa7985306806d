using System.Diagnostics;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Inputs;
using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>
/// The <c>--folder</c> path: the small CNN trained from image files (one subfolder per class), read
/// from the path column and streamed from disk; the folder is written first when it is missing or empty.
/// </summary>
internal static class ImageFolderRun
{
    private const string PathColumn = "ImagePath";
    private const int ImageSize = 28;

    /// <summary>Runs the image-folder flow on <paramref name="folder"/>; returns the process exit code (2 when the folder holds no class subfolders of images).</summary>
    public static int Run(MLContext ml, SampleOptions options, string folder)
    {
        if (ImageFolderWriter.NeedsImages(folder))
        {
            var watch = Stopwatch.StartNew();
            var (files, source) = ImageFolderWriter.Write(folder, options);
            Console.WriteLine($"Wrote {files} PNG files ({source}) into {folder} in {watch.Elapsed.TotalSeconds:F1} s.");
        }

        IDataView data;
        try
        {
            data = ml.Data.LoadFromImageFolder(folder, imagePathColumnName: PathColumn, labelColumnName: "Label");
        }
        catch (ArgumentException e)
        {
            // A folder with files but no class subfolders of images: say so rather than crash.
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        int classes = Directory.GetDirectories(folder).Length;
        Console.WriteLine($"Data: {data.GetRowCount()} images in {classes} class folders under {folder}; 80% train, 20% test.");
        Console.WriteLine();

        var definition = ModelDefinition.SmallCnn(options);
        var trainerOptions = definition.ToOptions(new ConsoleProgress(definition.Epochs));
        trainerOptions.FeatureColumnName = PathColumn;
        trainerOptions.Image = new ImageInputOptions { Width = ImageSize, Height = ImageSize, Channels = 1 };
        trainerOptions.DataSource = BatchSourceMode.Streaming;
        using var model = CnnTraining.Train(ml, definition, trainerOptions, split.TrainSet, split.TestSet);
        ResultsTable.Print([model]);

        Directory.CreateDirectory(options.OutputDirectory);
        const string Stem = "image-folder-small-cnn";
        var plots = ResultPlots.LearningCurves(model, options.OutputDirectory, Stem)
            .Concat(ResultPlots.ForImageFiles(ml, model, split.TestSet, PathColumn, (ImageSize, ImageSize), options.OutputDirectory, Stem))
            .ToList();
        Console.WriteLine("Plots:");
        plots.ForEach(p => Console.WriteLine($"  {p}"));
        Console.WriteLine();

        var (onnx, labels) = OnnxExport.Write(ml, model, options.OutputDirectory, "image-folder-model");
        Console.WriteLine($"ONNX: {onnx} (class names in {labels}); run it without TorchSharp with samples/Deploy/OnnxApp.");
        string path = Path.Combine(options.OutputDirectory, "image-folder-model.zip");
        return ModelCheck.ExitCode(ModelCheck.SaveReloadAndCompare(ml, model, data.Schema, split.TestSet, path));
    }
}

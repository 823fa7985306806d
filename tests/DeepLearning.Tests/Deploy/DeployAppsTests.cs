using System.Diagnostics;
using DeepLearning.Tests.Inputs;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Deploy;

/// <summary>
/// The deployment samples, run as separate processes on a model trained here: the zip app
/// (DeepLearning.Transforms only) and the ONNX app (ML.NET image transforms and ONNX Runtime, no
/// TorchSharp) predict, image by image, what the training process predicted.
/// </summary>
public sealed class DeployAppsTests : TempDirectoryTest
{
    [Fact]
    public void TheZipAppAndTheOnnxAppPredictWhatTrainingPredicted()
    {
        var ml = new MLContext(seed: 1);
        var rows = BarImages.Write(Dir, 40, seed: 1).Select(r => new ImageRow { ImagePath = Path.Combine(Dir, r.Path), Label = r.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = nameof(ImageRow.ImagePath),
            Image = new ImageInputOptions { Width = BarImages.Size, Height = BarImages.Size, Resize = ImageResizePolicy.None },
            Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
            NormalizeFeatures = true,
            Epochs = 3,
            BatchSize = 8,
            NumberOfThreads = 1,
        };
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var expected = model.Transform(data).GetColumn<string>("PredictedLabel").ToList();

        var zip = Path.Combine(Dir, "model.zip");
        ml.Model.Save(model, data.Schema, zip);
        var network = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
        var onnx = Path.Combine(Dir, "model.onnx");
        using (var stream = File.Create(onnx))
        {
            network.ExportToOnnx(ml, stream, inputName: "Pixels");
        }

        var labels = Path.Combine(Dir, "labels.txt");
        File.WriteAllLines(labels, ((MulticlassClassificationHead)network.Head).Labels!.Values);
        var files = rows.Select(r => r.ImagePath).ToArray();

        Assert.Equal(expected, Predictions(Run("ZipApp", [zip, .. files])));
        Assert.Equal(expected, Predictions(Run("OnnxApp", [onnx, labels, .. files])));
    }

    private static IEnumerable<string> Predictions(string output)
        => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')[1]);

    /// <summary>Runs a built deployment sample (samples/Deploy/&lt;name&gt;/bin/&lt;Configuration&gt;/net10.0) and returns its standard output.</summary>
    private static string Run(string name, IEnumerable<string> arguments)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "samples", "Deploy", name, "bin", here.Parent.Name, here.Name, $"DeepLearning.Samples.{name}.dll");
        Assert.True(File.Exists(dll), $"{name} was not built at {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{name} exited with {process.ExitCode}: {error.Result}");
        return output;
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;
    }
}

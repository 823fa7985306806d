using DeepLearning.Tests.Inputs;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Onnx;

/// <summary>
/// A CNN trained from image files exports to ONNX over decoded pixels: ML.NET's own LoadImages and
/// ExtractPixels, then ApplyOnnxModel (no TorchSharp), give the scores our transformer gives.
/// </summary>
public sealed class ImageModelOnnxExportTests : TempDirectoryTest
{
    [Fact]
    public void PixelsExtractedByMlNetThroughOnnxRuntimeScoreAsTheModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = BarImages.Write(Dir, 24, seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = nameof(BarImages.Row.Path),
            Image = new ImageInputOptions { Width = BarImages.Size, Height = BarImages.Size, Resize = ImageResizePolicy.None, BaseDirectory = Dir },
            Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
            NormalizeFeatures = true,
            Epochs = 1,
            BatchSize = 8,
            NumberOfThreads = 1,
        };
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options)).Fit(data);
        var network = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
        var expected = Scores(model.Transform(data));

        using var onnx = new MemoryStream();
        network.ExportToOnnx(ml, onnx, inputName: "Pixels");
        onnx.Position = 0;
        var pixels = ml.Transforms.LoadImages("Image", Dir, nameof(BarImages.Row.Path))
            .Append(ml.Transforms.ResizeImages("Image", BarImages.Size, BarImages.Size))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255))
            .Append(ml.Transforms.ApplyOnnxModel(onnx))
            .Fit(data);
        var actual = Scores(pixels.Transform(data));

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Zip(actual[i]).All(p => Math.Abs(p.First - p.Second) <= 1e-4), $"row {i}: {string.Join(", ", expected[i])} vs {string.Join(", ", actual[i])}");
        }
    }

    private static List<float[]> Scores(IDataView scored)
    {
        var column = scored.Schema.GetColumnOrNull("Score") ?? scored.Schema["Score.output"];
        return scored.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();
    }
}

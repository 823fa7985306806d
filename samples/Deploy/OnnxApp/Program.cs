using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Image;

// Runs an image classifier exported to ONNX (NetworkOnnxExport.ExportToOnnx with inputName "Pixels")
// with ML.NET's own image transforms and ONNX Runtime, and predicts the class of each image file
// given, one line per image: "<file>\t<predicted class>\t<score of that class>". The image size and
// channels come from the graph's input [N, C, H, W]; pixels are scaled to [0, 1], RGB (grey for one
// channel), as the library's ImageInputOptions defaults. No TorchSharp, no DeepLearning package.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: DeepLearning.Samples.OnnxApp <model.onnx> <labels.txt> <image file>...");
    return 2;
}

var (onnx, labels, files) = (args[0], File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray(), args.Skip(2).Select(Path.GetFullPath).ToArray());
if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
{
    Console.Error.WriteLine($"Image file '{missing}' does not exist.");
    return 1;
}
int channels, height, width;
string scoreOutput;
using (var session = new InferenceSession(onnx))
{
    var shape = session.InputMetadata["Pixels"].Dimensions;
    (channels, height, width) = (shape[1], shape[2], shape[3]);
    scoreOutput = session.OutputMetadata.Keys.First(k => k.StartsWith("Score", StringComparison.Ordinal));
}

var ml = new MLContext();
var data = ml.Data.LoadFromEnumerable(files.Select(f => new ImageRow { ImagePath = f }));
var pipeline = ml.Transforms.LoadImages("Image", null, nameof(ImageRow.ImagePath))
    .Append(ml.Transforms.ResizeImages("Image", width, height))
    .Append(ml.Transforms.ExtractPixels(
        "Pixels",
        "Image",
        colorsToExtract: channels == 1 ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb,
        scaleImage: 1f / 255))
    .Append(ml.Transforms.ApplyOnnxModel(onnx));
var scored = pipeline.Fit(data).Transform(data);
// ApplyOnnxModel names the column of graph output "Score.output" (as ML.NET's converter names it) back to "Score".
var scores = scored.GetColumn<VBuffer<float>>(scored.Schema.GetColumnOrNull(scoreOutput) ?? scored.Schema[scoreOutput.Split('.')[0]]).Select(v => v.DenseValues().ToArray()).ToArray();
for (var i = 0; i < files.Length; i++)
{
    var best = Array.IndexOf(scores[i], scores[i].Max());
    Console.WriteLine($"{args[2 + i]}\t{labels[best]}\t{scores[i][best]:F6}");
}

return 0;

/// <summary>The app's input: an image file.</summary>
internal sealed class ImageRow
{
    /// <summary>Full path of the image.</summary>
    public string ImagePath { get; set; } = string.Empty;
}

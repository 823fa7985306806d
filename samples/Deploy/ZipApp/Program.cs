using System.Globalization;
using Microsoft.ML;

// Loads a model zip saved by the image classification sample (trained on an image-path column named
// ImagePath) and predicts the class of each image file given, one line per image:
// "<file>\t<predicted class>\t<score of that class>". References DeepLearning.Transforms only.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DeepLearning.Samples.ZipApp <model.zip> <image file>...");
    return 2;
}

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
using var engine = ml.Model.CreatePredictionEngine<ImageRow, Prediction>(model);
foreach (var file in args.Skip(1))
{
    try
    {
        var prediction = engine.Predict(new ImageRow { ImagePath = Path.GetFullPath(file) });
        Console.WriteLine($"{file}\t{prediction.PredictedLabel}\t{prediction.Score.Max():F6}");
    }
    catch (InvalidOperationException e)
    {
        // A missing or undecodable image: the library's message names the column, row and file.
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

return 0;

/// <summary>The app's input: an image file (the label the pipeline's MapValueToKey reads is left empty).</summary>
internal sealed class ImageRow
{
    /// <summary>Full path of the image.</summary>
    public string ImagePath { get; set; } = string.Empty;

    /// <summary>Unused when predicting.</summary>
    public string Label { get; set; } = string.Empty;
}

/// <summary>The model's outputs the app reads.</summary>
internal sealed class Prediction
{
    /// <summary>The predicted class name.</summary>
    public string PredictedLabel { get; set; } = string.Empty;

    /// <summary>The probability of each class.</summary>
    public float[] Score { get; set; } = [];
}

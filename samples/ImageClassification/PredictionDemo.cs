using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>A row for the prediction engine: the pixels of a 28×28 grey image and the true label.</summary>
internal sealed class ImageInput
{
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>The prediction engine's output: the class (mapped back to its Single label) and the class scores.</summary>
internal sealed class ImagePrediction
{
    public float PredictedLabel { get; set; }

    public float[] Score { get; set; } = [];
}

/// <summary>Predicts a few test images one at a time with a <see cref="PredictionEngine{TSrc, TDst}"/>.</summary>
internal static class PredictionDemo
{
    private const int ImagesToShow = 5;

    public static void PredictSome(MLContext ml, ITransformer model, IDataView test, IReadOnlyList<string> classNames)
    {
        Console.WriteLine($"Predictions of the reloaded model on the first {ImagesToShow} test images (PredictionEngine):");
        using var engine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
        int index = 0;
        foreach (var image in ml.Data.CreateEnumerable<ImageInput>(test, reuseRowObject: false).Take(ImagesToShow))
        {
            var prediction = engine.Predict(image);
            string mark = prediction.PredictedLabel == image.Label ? "correct" : "WRONG";
            Console.WriteLine(
                $"  #{++index}  predicted {Name(classNames, prediction.PredictedLabel),-16} (score {prediction.Score.Max():F3})  "
                + $"true {Name(classNames, image.Label),-16} {mark}");
        }

        Console.WriteLine();
    }

    private static string Name(IReadOnlyList<string> classNames, float label)
    {
        int index = (int)label;
        return index >= 0 && index < classNames.Count ? classNames[index] : $"class {label}";
    }
}

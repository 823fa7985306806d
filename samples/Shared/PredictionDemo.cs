using Microsoft.ML;

namespace DeepLearning.Samples.Shared;

/// <summary>Predicts a few test images one at a time with a <see cref="PredictionEngine{TSrc, TDst}"/>.</summary>
internal static class PredictionDemo
{
    private const int ImagesToShow = 5;

    /// <summary>Prints the predicted and the true class of the first test images.</summary>
    /// <param name="ml">The context the model belongs to.</param>
    /// <param name="model">The model, reading <see cref="ImageInput"/> rows.</param>
    /// <param name="which">Which model it is ("original" or "reloaded"), for the heading.</param>
    /// <param name="test">The test rows: <c>Features</c> and a Single <c>Label</c>.</param>
    /// <param name="classNames">Names of the classes, indexed by label.</param>
    public static void PredictSome(MLContext ml, ITransformer model, string which, IDataView test, IReadOnlyList<string> classNames)
    {
        Console.WriteLine($"Predictions of the {which} model on the first {ImagesToShow} test images (PredictionEngine):");
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

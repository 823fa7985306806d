using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.FashionMnist;

/// <summary>A row for the prediction engine: the pixels and the true label.</summary>
internal sealed class ImageInput
{
    [VectorType(ModelCheck.Pixels)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>The prediction engine's output: the class (mapped back to its Single label) and the class scores.</summary>
internal sealed class ImagePrediction
{
    public float PredictedLabel { get; set; }

    public float[] Score { get; set; } = [];
}

/// <summary>Saves the best model, reloads it in a new <see cref="MLContext"/>, compares predictions and predicts a few images.</summary>
internal static class ModelCheck
{
    public const int Pixels = 28 * 28;
    private const int ImagesToShow = 5;

    /// <summary>
    /// Returns the number of test rows on which the reloaded model disagrees with the original, or
    /// <see langword="null"/> when the model could not be saved (the original then predicts the images).
    /// </summary>
    public static int? SaveReloadAndCompare(MLContext ml, TrainedModel best, SampleData data, string path)
    {
        try
        {
            ml.Model.Save(best.Model, data.Train.Schema, path);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"Saving '{best.Definition.Name}' to {path} failed: {e.GetType().Name}: {e.Message}");
            Console.WriteLine($"  {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("DeepLearning.", StringComparison.Ordinal))?.Trim()}");
            Console.WriteLine("Skipping the reload check; predicting with the original model instead.");
            Console.WriteLine();
            File.Delete(path);
            PredictSome(ml, best.Model, data, "original");
            return null;
        }

        Console.WriteLine($"Saved '{best.Definition.Name}' to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB).");

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out _);
        try
        {
            var (labels, scores) = Predictions(best.Model.Transform(data.Test));
            var (loadedLabels, loadedScores) = Predictions(loaded.Transform(data.Test));
            if (labels.Length != loadedLabels.Length)
            {
                Console.WriteLine($"Reloaded model scored {loadedLabels.Length} rows, the original {labels.Length}.");
                return Math.Max(labels.Length, loadedLabels.Length);
            }

            int mismatches = 0;
            double maxScoreDifference = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                double difference = 0;
                for (int k = 0; k < scores[i].Length; k++)
                {
                    difference = Math.Max(difference, Math.Abs(scores[i][k] - loadedScores[i][k]));
                }

                maxScoreDifference = Math.Max(maxScoreDifference, difference);
                if (labels[i] != loadedLabels[i] || scores[i].Length != loadedScores[i].Length || difference > 1e-5)
                {
                    mismatches++;
                }
            }

            Console.WriteLine($"Reloaded with a new MLContext: {mismatches} of {labels.Length} test predictions differ (max score difference {maxScoreDifference:G3}).");
            Console.WriteLine();
            PredictSome(fresh, loaded, data, "reloaded");
            return mismatches;
        }
        finally
        {
            ModelTraining.DisposeNetworks(loaded);
        }
    }

    private static void PredictSome(MLContext ml, ITransformer model, SampleData data, string which)
    {
        Console.WriteLine($"Predictions of the {which} model on the first {ImagesToShow} test images (PredictionEngine):");
        using var engine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
        int index = 0;
        foreach (var image in ml.Data.CreateEnumerable<ImageInput>(data.Test, reuseRowObject: false).Take(ImagesToShow))
        {
            var prediction = engine.Predict(image);
            string predicted = Name(data, prediction.PredictedLabel);
            string truth = Name(data, image.Label);
            string mark = prediction.PredictedLabel == image.Label ? "correct" : "WRONG";
            Console.WriteLine($"  #{++index}  predicted {predicted,-16} (score {prediction.Score.Max():F3})  true {truth,-16} {mark}");
        }

        Console.WriteLine();
    }

    private static string Name(SampleData data, float label)
    {
        int index = (int)label;
        return index >= 0 && index < data.ClassNames.Count ? data.ClassNames[index] : $"class {label}";
    }

    private static (float[] Labels, float[][] Scores) Predictions(IDataView scored)
    {
        var labels = scored.GetColumn<float>("PredictedLabel").ToArray();
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        return (labels, scores);
    }
}

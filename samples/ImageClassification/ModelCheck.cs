using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Saves a model, reloads it in a new <see cref="MLContext"/> and compares its test predictions with the original's.</summary>
internal static class ModelCheck
{
    /// <summary>Largest score difference counted as the same prediction.</summary>
    private const double Tolerance = 1e-5;

    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="path"/>, reloads it and scores <paramref name="test"/> with both.
    /// Returns the number of test rows on which they disagree (class or any score), or <see langword="null"/>
    /// when the model could not be saved. The reloaded model is handed to <paramref name="useReloaded"/> before it is disposed.
    /// </summary>
    public static int? SaveReloadAndCompare(
        MLContext ml,
        TrainedModel model,
        DataViewSchema inputSchema,
        IDataView test,
        string path,
        Action<MLContext, ITransformer>? useReloaded = null)
    {
        try
        {
            ml.Model.Save(model.Model, inputSchema, path);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"Saving '{model.Definition.Name}' to {path} failed: {e.GetType().Name}: {e.Message}");
            File.Delete(path);
            return null;
        }

        Console.WriteLine($"Saved '{model.Definition.Name}' to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB).");
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out _);
        try
        {
            var scores = Scores(model.Model.Transform(test));
            var loadedScores = Scores(loaded.Transform(test));
            int mismatches = Math.Abs(scores.Length - loadedScores.Length);
            double maxDifference = 0;
            for (int i = 0; i < Math.Min(scores.Length, loadedScores.Length); i++)
            {
                var (a, b) = (scores[i], loadedScores[i]);
                double difference = a.Length == b.Length ? a.Zip(b, (x, y) => (double)Math.Abs(x - y)).DefaultIfEmpty().Max() : double.PositiveInfinity;
                maxDifference = Math.Max(maxDifference, difference);
                if (difference > Tolerance || ArgMax(a) != ArgMax(b))
                {
                    mismatches++;
                }
            }

            Console.WriteLine($"Reloaded with a new MLContext: {mismatches} of {scores.Length} test predictions differ (max score difference {maxDifference:G3}).");
            Console.WriteLine();
            useReloaded?.Invoke(fresh, loaded);
            return mismatches;
        }
        finally
        {
            ModelTraining.DisposeNetworks(loaded);
        }
    }

    private static float[][] Scores(IDataView scored)
        => scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }
}

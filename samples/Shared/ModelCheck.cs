using Microsoft.ML;

namespace DeepLearning.Samples.Shared;

/// <summary>Uses a model on a data view and a context, e.g. to predict a few images; <c>which</c> says whether it is the "original" or the "reloaded" model.</summary>
/// <param name="ml">The context the model belongs to.</param>
/// <param name="model">The model.</param>
/// <param name="which">"original" or "reloaded".</param>
internal delegate void ModelUse(MLContext ml, ITransformer model, string which);

/// <summary>Saves a model, reloads it in a new <see cref="MLContext"/> and compares its test predictions with the original's.</summary>
internal static class ModelCheck
{
    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="path"/>, reloads it and scores <paramref name="test"/> with both.
    /// Returns the number of test rows on which they disagree (class or any score), or <see langword="null"/>
    /// when the model could not be saved. The reloaded model is handed to <paramref name="useModel"/> before it is
    /// disposed; when saving fails, the original is.
    /// </summary>
    /// <param name="ml">The context that trained the model.</param>
    /// <param name="model">The model to save.</param>
    /// <param name="inputSchema">The schema of the rows the model reads.</param>
    /// <param name="test">The rows both models score.</param>
    /// <param name="path">Where the model is saved.</param>
    /// <param name="useModel">What to do with the reloaded (or, when saving fails, the original) model; optional.</param>
    /// <returns>The number of differing predictions, or <see langword="null"/> when saving failed.</returns>
    public static int? SaveReloadAndCompare(MLContext ml, TrainedModel model, DataViewSchema inputSchema, IDataView test, string path, ModelUse? useModel = null)
    {
        try
        {
            ml.Model.Save(model.Model, inputSchema, path);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"Saving '{model.Name}' to {path} failed: {e.GetType().Name}: {e.Message}");
            Console.WriteLine($"  {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("DeepLearning.", StringComparison.Ordinal))?.Trim()}");
            File.Delete(path);
            if (useModel is not null)
            {
                Console.WriteLine("Skipping the reload check; using the original model instead.");
                Console.WriteLine();
                useModel(ml, model.Model, "original");
            }

            return null;
        }

        Console.WriteLine($"Saved '{model.Name}' to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB).");
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out _);
        try
        {
            var (mismatches, rows, maxDifference) = ScoreComparison.Compare(model.Model.Transform(test), loaded.Transform(test));
            Console.WriteLine($"Reloaded with a new MLContext: {mismatches} of {rows} test predictions differ (max score difference {maxDifference:G3}).");
            Console.WriteLine();
            useModel?.Invoke(fresh, loaded, "reloaded");
            return mismatches;
        }
        finally
        {
            NetworkDisposal.DisposeNetworks(loaded);
        }
    }

    /// <summary>
    /// The exit code of a save-and-reload check: 0 when the reloaded model predicts as the original,
    /// 1 when some predictions differ, 3 when the model could not be saved (2 is a usage error).
    /// </summary>
    /// <param name="mismatches">What <see cref="SaveReloadAndCompare"/> returned.</param>
    /// <returns>The process exit code.</returns>
    public static int ExitCode(int? mismatches) => mismatches switch
    {
        0 => 0,
        null => 3,
        _ => 1,
    };
}

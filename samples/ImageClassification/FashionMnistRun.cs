using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>
/// The default path: LeNet-5, the small CNN and a ResNet-20 with augmentation on Fashion-MNIST (or
/// synthetic images), compared on the test set; the best is saved, reloaded and checked, and plotted.
/// </summary>
internal static class FashionMnistRun
{
    /// <summary>Runs the comparison; returns the process exit code.</summary>
    public static int Run(MLContext ml, SampleOptions options)
    {
        var data = SampleData.Load(ml, options.DataDirectory, options.MaxTrainingRows, options.MaxTestRows);
        string quick = options.Quick ? $" (quick: first {SampleOptions.QuickRows} training and {SampleOptions.QuickTestRows} test rows)" : string.Empty;
        Console.WriteLine($"Data: {data.Description}{quick}.");
        Console.WriteLine();

        var models = new List<TrainedModel>();
        try
        {
            foreach (var definition in ModelDefinition.All(options))
            {
                var trainerOptions = definition.ToOptions(new ConsoleProgress(definition.Epochs));
                models.Add(CnnTraining.Train(ml, definition, trainerOptions, data.Train, data.Test));
            }

            ResultsTable.Print(models);
            var best = models.MaxBy(m => m.Metrics.MicroAccuracy)!;
            Directory.CreateDirectory(options.OutputDirectory);
            var plots = models.SelectMany(m => ResultPlots.LearningCurves(m, options.OutputDirectory, m.Slug)).ToList();
            plots.AddRange(ResultPlots.ForClassIndices(best, data.Test, data.ClassNames, options.OutputDirectory, best.Slug));
            Console.WriteLine($"Plots (confusion matrix and wrong images of the best model, '{best.Name}'):");
            plots.ForEach(p => Console.WriteLine($"  {p}"));
            Console.WriteLine();

            string path = Path.Combine(options.OutputDirectory, "best-model.zip");
            return ModelCheck.ExitCode(ModelCheck.SaveReloadAndCompare(
                ml,
                best,
                data.Train.Schema,
                data.Test,
                path,
                (context, model, which) => PredictionDemo.PredictSome(context, model, which, data.Test, data.ClassNames)));
        }
        finally
        {
            models.ForEach(m => m.Dispose());
        }
    }
}

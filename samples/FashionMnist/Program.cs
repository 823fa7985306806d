using DeepLearning.Samples.FashionMnist;
using DeepLearning.Trainers;
using Microsoft.ML;

// Trains logistic regression, a shallow and a deep network on Fashion-MNIST through ML.NET
// pipelines, compares them on the test set, saves the best, reloads it and predicts a few images.
return SampleEntry.Run(args, SampleOptions.Parse, SampleOptions.Usage, Run);

static int Run(SampleOptions options)
{
    var ml = new MLContext(seed: 1);
    var data = SampleData.Load(ml, options.DataDirectory, options.MaxTrainingRows);
    Console.WriteLine($"Data: {data.Description}{(options.Quick ? $" (quick: first {SampleOptions.QuickRows} training rows)" : string.Empty)}; up to {options.Epochs} epoch(s) per model.");
    Console.WriteLine();

    var models = new List<TrainedModel>();
    try
    {
        foreach (var definition in ModelDefinition.All)
        {
            var trainer = ml.MulticlassClassification.Trainers.DeepNeuralNetwork(definition.ToOptions(options.Epochs, new ConsoleProgress(options.Epochs)));
            models.Add(ModelTraining.Train(ml, definition.Name, $"{definition.Name}:", trainer, data.Train, data.Test));
        }

        ResultsTable.Print(models);
        var best = models.MaxBy(m => m.Metrics.MicroAccuracy)!;
        // 0: reloaded predictions equal the original's; 1: some differ; 3: the model could not be saved.
        return ModelCheck.ExitCode(ModelCheck.SaveReloadAndCompare(
            ml,
            best,
            data.Train.Schema,
            data.Test,
            options.OutputPath,
            (context, model, which) => PredictionDemo.PredictSome(context, model, which, data.Test, data.ClassNames)));
    }
    finally
    {
        models.ForEach(m => m.Dispose());
    }
}

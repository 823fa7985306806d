using System.Globalization;
using DeepLearning.Samples.FashionMnist;
using Microsoft.ML;

// Trains logistic regression, a shallow and a deep network on Fashion-MNIST through ML.NET
// pipelines, compares them on the test set, saves the best, reloads it and predicts a few images.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var options = SampleOptions.Parse(args, out var error);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(SampleOptions.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

var ml = new MLContext(seed: 1);
var data = SampleData.Load(ml, options);
Console.WriteLine($"Data: {data.Description}{(options.Quick ? $" (quick: first {SampleOptions.QuickRows} training rows)" : string.Empty)}; up to {options.Epochs} epoch(s) per model.");
Console.WriteLine();

var models = new List<TrainedModel>();
try
{
    foreach (var definition in ModelDefinition.All)
    {
        models.Add(ModelTraining.Train(ml, definition, data, options.Epochs));
    }

    Report.Table(models);
    var best = models.MaxBy(m => m.Metrics.MicroAccuracy)!;
    // 0: reloaded predictions equal the original's; 1: some differ; 3: the model could not be saved.
    return ModelCheck.SaveReloadAndCompare(ml, best, data, options.OutputPath) switch
    {
        0 => 0,
        null => 3,
        _ => 1,
    };
}
finally
{
    foreach (var model in models)
    {
        model.Dispose();
    }
}

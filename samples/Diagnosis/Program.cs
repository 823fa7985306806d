using DeepLearning.Samples.Diagnosis;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Estimators;
using Microsoft.ML;
using Microsoft.ML.Data;

// Structuring an ML project: split a training distribution (Fashion-MNIST) and a target distribution
// (the test images as a poor camera gives them) into train / train-dev / dev / test, train a deep
// network, diagnose avoidable bias, variance, data mismatch and overfitting to dev, then analyse the
// dev errors: confusion matrices, top losses, tag counts, learning curves. PNGs go to --output.
return SampleEntry.Run(args, DiagnosisOptions.Parse, DiagnosisOptions.Usage, Run);

static int Run(DiagnosisOptions options)
{
    var ml = new MLContext(seed: 1);
    var data = Distributions.Load(ml, options.DataDirectory, options.TrainingRows);
    var split = ml.Data.TrainDevTestSplit(data.Training, data.Target, new TrainDevTestSplitOptions
    {
        TrainDevFraction = 0.1,
        DevFraction = 0.5,
        TestFraction = 0.5,
        StratificationColumnName = "Label",
        Seed = 1,
    });
    Console.WriteLine($"Data: {data.Description}; target distribution: its test images darkened and noised.");
    Console.WriteLine($"Split: train {split.TrainSet.GetRowCount()}, train-dev {split.TrainDevSet.GetRowCount()} (training distribution); "
        + $"dev {split.DevSet.GetRowCount()}, test {split.TestSet.GetRowCount()} (target distribution).");
    Directory.CreateDirectory(options.OutputDirectory);
    var report = new Report(options.OutputDirectory);

    IEstimator<ITransformer> Pipeline(IProgress<EpochMetrics>? progress) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyData: data.ClassNameView(ml))
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(new DeepNeuralNetworkTrainer.Options
            {
                HiddenLayers = [256, 128],
                Epochs = options.Epochs,
                BatchSize = 128,
                LearningRate = 1e-3,
                NumberOfThreads = 2,
                Seed = 1,
                Progress = progress,
            }));

    Console.WriteLine($"\nTraining the deep network [256, 128] for {options.Epochs} epoch(s) on the training set:");
    var model = Pipeline(new ConsoleProgress(options.Epochs)).Fit(split.TrainSet);
    try
    {
        var scoredDev = model.Transform(split.DevSet);
        var diagnosis = ErrorDiagnosis.FromScoredData(
            options.HumanError, model.Transform(split.TrainSet), model.Transform(split.TrainDevSet), scoredDev, model.Transform(split.TestSet));
        Console.WriteLine($"\nDiagnosis (human-level error {options.HumanError:P1}, the Bayes proxy):");
        Console.Write(diagnosis);
        diagnosis.WritePlot(report.Path("diagnosis.png"));

        Console.WriteLine("\nError analysis on the dev set:");
        report.Confusion(ErrorAnalysis.Confusion(scoredDev));
        var images = split.DevSet.GetColumn<float[]>("Features").ToArray();
        report.TopLosses(ErrorAnalysis.TopLosses(scoredDev, count: 16), images);

        var sheet = ErrorAnalysis.TagSheet(scoredDev, ErrorTags.All);
        ErrorTags.Examine(sheet, images, seed: 1);
        Console.WriteLine($"\nTagged errors (the spreadsheet method, {ErrorTags.Examined} sampled errors; ceiling = share × dev error):");
        Console.Write(sheet);

        Console.WriteLine("\nLearning curves (a fresh network per training-set size, same epochs):");
        var curve = ErrorAnalysis.LearningCurve(split.TrainSet, split.DevSet, () => Pipeline(null), seed: 1);
        Console.Write(curve);
        curve.WritePlot(report.Path("learning-curves.png"), options.HumanError);

        Console.WriteLine($"\nPlots written to {options.OutputDirectory}:");
        report.Written.ForEach(p => Console.WriteLine("  " + Path.GetFileName(p)));
        return 0;
    }
    finally
    {
        NetworkDisposal.DisposeNetworks(model);
    }
}

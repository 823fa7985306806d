using System.Diagnostics;
using Microsoft.ML;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>The whole comparison: pretrain on Fashion-MNIST, then learn the digits with each method at each subset size.</summary>
internal static class TransferRun
{
    /// <summary>Exit code when the digit files are missing (as a usage error).</summary>
    private const int MissingDigits = SampleEntry.UsageError;

    /// <summary>Runs the comparison, prints the table and writes the plot.</summary>
    /// <param name="options">The sample's options.</param>
    /// <returns>The process exit code: 0, or 2 when the digits or Fashion-MNIST are missing.</returns>
    public static int Run(TransferOptions options)
    {
        if (!MnistDigits.Exists(options.DigitsDirectory))
        {
            MnistDigits.Explain(options.DigitsDirectory);
            return MissingDigits;
        }

        if (!DeepLearning.Transforms.Data.IdxDataset.Exists(options.FashionDirectory))
        {
            Console.Error.WriteLine($"Fashion-MNIST was not found in '{options.FashionDirectory}': sudo apt-get install dataset-fashion-mnist, or pass --data DIR.");
            return MissingDigits;
        }

        var total = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        var split = new DigitSplit(ml, MnistDigits.Load(options.DigitsDirectory));
        Console.WriteLine(
            $"MNIST digits from {options.DigitsDirectory}: {split.ClassSizes.Sum()} digits, {split.ClassSizes.Min()} to {split.ClassSizes.Max()} per class; "
            + $"{split.TestRows} test digits; training subsets of up to {split.MaxPerClass} per class from the rest.");
        Console.WriteLine();

        var pretrained = options.PretrainedWeights is { } reused
            ? Pretraining.Reuse(reused)
            : Pretraining.Run(ml, options);
        var measurements = Measure(ml, options, split, pretrained.WeightsPath);

        string fashion = double.IsNaN(pretrained.FashionTestAccuracy) ? "reused, not re-evaluated" : $"{pretrained.FashionTestAccuracy:P2} on the Fashion-MNIST test set, pretrained in {pretrained.Seconds:F1} s";
        Console.WriteLine($"Pretrained small CNN ({pretrained.WeightsPath}): {fashion}.");
        Console.WriteLine();
        ResultsMarkdown.Print(measurements, options.Repeats, split);
        string plot = Path.Combine(options.OutputDirectory, "transfer.png");
        AccuracyPlot.Write(measurements, plot);
        Console.WriteLine($"Plot: {plot}");
        Console.WriteLine($"Total wall time {total.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    /// <summary>Fits every method at every subset size, on the same subsets for every method.</summary>
    private static List<Measurement> Measure(MLContext ml, TransferOptions options, DigitSplit split, string weightsPath)
    {
        var fits = new MethodFits(ml, weightsPath, options.Quick);
        var methods = Enum.GetValues<TransferMethod>();
        var measurements = new List<Measurement>();
        foreach (int perClass in options.ExamplesPerClass.Select(n => Math.Min(n, split.MaxPerClass)).Distinct())
        {
            var plan = EpochPlan.For(perClass, options.Quick);
            Console.WriteLine($"{perClass} examples per class ({perClass * MnistDigits.Classes} digits); networks: {plan.Epochs} epochs, batch {plan.BatchSize}:");
            var accuracies = methods.ToDictionary(m => m, _ => new List<double>());
            var seconds = methods.ToDictionary(m => m, _ => 0.0);
            for (int repeat = 0; repeat < options.Repeats; repeat++)
            {
                var train = split.Subset(perClass, seed: (1000 * (repeat + 1)) + perClass);
                foreach (var method in methods)
                {
                    var watch = Stopwatch.StartNew();
                    double accuracy = fits.Accuracy(method, train, perClass, split.Test, seed: repeat + 1);
                    double elapsed = watch.Elapsed.TotalSeconds;
                    accuracies[method].Add(accuracy);
                    seconds[method] += elapsed;
                    Console.WriteLine($"  subset {repeat + 1}/{options.Repeats}  {method.Name(),-20} test accuracy {accuracy:P2}  {elapsed,6:F1} s");
                }
            }

            measurements.AddRange(methods.Select(m => new Measurement(m, perClass, accuracies[m], seconds[m])));
            Console.WriteLine();
        }

        return measurements;
    }
}

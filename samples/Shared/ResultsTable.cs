namespace DeepLearning.Samples.Shared;

/// <summary>Prints the comparison table of trained models; the name column is as wide as the longest name.</summary>
internal static class ResultsTable
{
    /// <summary>Width of the columns after the name: four of 9 characters and one of 7, each after a space.</summary>
    private const int MetricColumnsWidth = (4 * 10) + 8;

    /// <summary>Prints one row per model (test accuracy, macro accuracy, log-loss, training time, epochs) and a note on early stopping.</summary>
    /// <param name="models">The models to compare, in the order to show them.</param>
    public static void Print(IReadOnlyList<TrainedModel> models)
    {
        int nameWidth = models.Select(m => m.Name.Length).Append("Model".Length).Max() + 3;
        string format = $"{{0,-{nameWidth}}} {{1,9}} {{2,9}} {{3,9}} {{4,9}} {{5,7}}";
        Console.WriteLine(format, "Model", "Accuracy", "Macro acc", "Log-loss", "Train s", "Epochs");
        Console.WriteLine(new string('-', nameWidth + MetricColumnsWidth));
        foreach (var m in models)
        {
            string epochs = m.History is { } h ? $"{h.Count}{(h.StoppedEarly ? "*" : string.Empty)}" : "?";
            Console.WriteLine(
                format,
                m.Name,
                $"{m.Metrics.MicroAccuracy:P2}",
                $"{m.Metrics.MacroAccuracy:P2}",
                $"{m.Metrics.LogLoss:F4}",
                $"{m.TrainingSeconds:F1}",
                epochs);
        }

        if (models.Any(m => m.History?.StoppedEarly == true))
        {
            Console.WriteLine("* stopped early (patience 3 on the validation accuracy); the model keeps its best epoch's weights.");
        }

        Console.WriteLine();
    }
}

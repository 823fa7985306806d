namespace DeepLearning.Samples.ImageClassification;

/// <summary>Prints the comparison table.</summary>
internal static class Report
{
    public static void Table(IReadOnlyList<TrainedModel> models)
    {
        const string Format = "{0,-28} {1,9} {2,9} {3,9} {4,9} {5,7}";
        Console.WriteLine(Format, "Model", "Accuracy", "Macro acc", "Log-loss", "Train s", "Epochs");
        Console.WriteLine(new string('-', 76));
        foreach (var m in models)
        {
            string epochs = m.History is { } h ? $"{h.Count}{(h.StoppedEarly ? "*" : string.Empty)}" : "?";
            Console.WriteLine(
                Format,
                m.Definition.Name,
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

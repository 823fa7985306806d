namespace DeepLearning.Samples.TransferLearning;

/// <summary>Prints the measurements as a markdown table: one row per subset size, one column per method.</summary>
internal static class ResultsMarkdown
{
    /// <summary>Prints the table and what its numbers mean.</summary>
    /// <param name="measurements">Every (method, size) measured.</param>
    /// <param name="repeats">Training subsets per cell.</param>
    /// <param name="split">The digits' split, for the test size and the class sizes.</param>
    public static void Print(IReadOnlyList<Measurement> measurements, int repeats, DigitSplit split)
    {
        var methods = Enum.GetValues<TransferMethod>();
        Console.WriteLine($"| examples per class | {string.Join(" | ", methods.Select(m => m.Name()))} |");
        Console.WriteLine($"|---:|{string.Concat(methods.Select(_ => "---:|"))}");
        foreach (var size in measurements.GroupBy(m => m.PerClass).OrderBy(g => g.Key))
        {
            var cells = methods.Select(method => size.SingleOrDefault(m => m.Method == method)?.Text ?? "n/a");
            Console.WriteLine($"| {size.Key} | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine();
        foreach (var size in measurements.GroupBy(m => m.PerClass).OrderBy(g => g.Key))
        {
            var scratch = size.Single(m => m.Method == TransferMethod.Scratch).Accuracies;
            var transferred = size.Where(m => m.Method != TransferMethod.Scratch)
                .Select(m => $"{m.Method.Name()} {string.Join(", ", m.Accuracies.Zip(scratch, (a, b) => $"{(a - b) * 100:+0.0;-0.0}"))}");
            Console.WriteLine($"{size.Key} per class, gain over scratch on the same subsets (points): {string.Join("; ", transferred)}");
        }

        Console.WriteLine();
        string spread = repeats > 1 ? $"mean ± half the range over {repeats} training subsets (percentage points)" : "one training subset";
        Console.WriteLine($"Test accuracy on {split.TestRows} real MNIST digits (the last {DigitSplit.TestPerClass} of each class), {spread}.");
        Console.WriteLine(
            $"1000 (or 800) examples per class is not possible: the files hold {split.ClassSizes.Min()} to {split.ClassSizes.Max()} digits per class "
            + $"({string.Join(", ", split.ClassSizes.Select((n, digit) => $"{digit}: {n}"))}), so after the test digits the largest "
            + $"balanced training subset has {split.MaxPerClass} per class.");
        Console.WriteLine();
    }
}

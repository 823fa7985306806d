namespace DeepLearning.Samples.TransferLearning;

/// <summary>The test accuracies of one method at one subset size, one per training subset drawn.</summary>
/// <param name="Method">The method.</param>
/// <param name="PerClass">Examples per class.</param>
/// <param name="Accuracies">Test accuracy of each repetition.</param>
/// <param name="Seconds">Wall time of all repetitions (fit and evaluation).</param>
internal sealed record Measurement(TransferMethod Method, int PerClass, IReadOnlyList<double> Accuracies, double Seconds)
{
    /// <summary>The mean test accuracy.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>Half the range of the accuracies (0 for a single repetition): the "±" of the table and the error bars.</summary>
    public double HalfRange => (Accuracies.Max() - Accuracies.Min()) / 2;

    /// <summary>The accuracy as text: <c>93.1%</c>, or <c>93.1% ± 0.4</c> (percentage points) over several subsets.</summary>
    public string Text => Accuracies.Count > 1 ? $"{Mean * 100:F1}% ± {HalfRange * 100:F1}" : $"{Mean * 100:F1}%";
}

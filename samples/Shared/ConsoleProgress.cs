namespace DeepLearning.Samples.Shared;

/// <summary>
/// Prints each epoch's metrics as the training loop reports them. Unlike <see cref="Progress{T}"/>
/// it reports synchronously on the training thread, so lines appear in order and before Fit returns.
/// </summary>
/// <param name="epochs">The maximum number of epochs, shown as "epoch 3/20".</param>
/// <param name="metric">The short name of the task's metric, shown before its value (default <c>acc</c>, accuracy).</param>
internal sealed class ConsoleProgress(int epochs, string metric = "acc") : IProgress<EpochMetrics>
{
    /// <summary>Prints one line: training loss and metric, validation loss and metric, and the epoch's duration.</summary>
    /// <param name="value">The metrics of the epoch that just ended.</param>
    public void Report(EpochMetrics value)
    {
        string validation = value.ValidationMetric is { } accuracy ? $"{accuracy:P2}" : "n/a";
        string validationLoss = value.ValidationLoss is { } loss ? $"{loss:F4}" : "n/a";
        Console.WriteLine(
            $"  epoch {value.Epoch,2}/{epochs}  loss {value.TrainingLoss:F4}  train {metric} {value.TrainingMetric:P2}  "
            + $"val loss {validationLoss}  val {metric} {validation}  {value.Duration.TotalSeconds:F2} s");
    }
}

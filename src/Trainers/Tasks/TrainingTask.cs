using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// The training side of a task, paired with an <see cref="OutputHead"/>: which label columns it
/// accepts, how a row's label becomes a target, the loss, the metric, and the head a trained
/// network gets. Trainers take a task; no code outside a task and its head depends on which one.
/// </summary>
public abstract class TrainingTask : ILossTask
{
    /// <inheritdoc />
    public abstract string MetricName { get; }

    /// <inheritdoc />
    public abstract bool HigherIsBetter { get; }

    /// <inheritdoc />
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <inheritdoc />
    public abstract MetricAccumulator CreateMetric();

    /// <summary>
    /// Checks the label column of <paramref name="data"/> and reads what the model must know about it
    /// (class count, class names), refusing labels it cannot train on and warning about odd ones.
    /// </summary>
    /// <param name="data">Training or validation data.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="training">The training data's binding when <paramref name="data"/> is validation data (its classes rule), else <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The label column is missing or of a type this task cannot read.</exception>
    /// <exception cref="InvalidOperationException">The labels cannot be trained on (e.g. one class only, unknown keys); the message names the column, row and value.</exception>
    internal abstract TargetBinding Bind(IDataView data, string labelColumnName, TargetBinding? training);

    /// <summary>The head of a network trained before any data is seen, to describe the output columns (class counts are placeholders).</summary>
    internal abstract OutputHead PreviewHead();
}

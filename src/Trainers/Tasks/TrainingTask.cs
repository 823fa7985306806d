using DeepLearning.Trainers.Augmentation;
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
    /// The label columns the task reads, given the trainer's <c>LabelColumnName</c> option: that one column
    /// by default; a task that reads several columns (multi-task) names its own.
    /// </summary>
    /// <param name="labelColumnName">The trainer's label column option.</param>
    internal virtual IReadOnlyList<string> LabelColumns(string labelColumnName) => [labelColumnName];

    /// <summary>
    /// Checks the label column(s) of the context's data and reads what the model must know about them
    /// (class count, class names, the input size boxes are relative to), refusing labels it cannot train
    /// on and warning about odd ones.
    /// </summary>
    /// <param name="context">The data, the label column option, the training binding (when binding validation data) and the input shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">The label column is missing or of a type this task cannot read.</exception>
    /// <exception cref="InvalidOperationException">The labels cannot be trained on (e.g. one class only, unknown keys); the message names the column, row and value.</exception>
    internal abstract TargetBinding Bind(TargetContext context);

    /// <summary>
    /// Targets of mixed samples (mixup, CutMix): each row's target weighted by <paramref name="weight"/>
    /// and its partner's by 1 − weight. By default floating-point targets mix linearly (binary
    /// probabilities, regression values); a task whose targets do not mix overrides this to say so, and
    /// a task with <see cref="BoxTargets"/> refuses (a blend of two images has no single set of boxes).
    /// </summary>
    /// <param name="target">The batch's targets.</param>
    /// <param name="partner">The partners' targets, same shape.</param>
    /// <param name="weight">Weight of each row's own target, <c>[B]</c> in [0, 1].</param>
    /// <param name="outputs">The network's outputs per row (the class count of a classifier).</param>
    /// <exception cref="NotSupportedException">The task's targets cannot be mixed.</exception>
    internal virtual Tensor MixTargets(Tensor target, Tensor partner, Tensor weight, int outputs)
    {
        if (BoxTargets is not null)
        {
            throw new NotSupportedException($"{GetType().Name} cannot mix its targets: mixup and CutMix blend two images into one, and its targets hold boxes.");
        }

        if (!target.is_floating_point())
        {
            throw new NotSupportedException($"{GetType().Name} cannot mix its {target.dtype} targets: mixup and CutMix need a task whose targets mix.");
        }

        var w = weight.to_type(target.dtype).view([weight.shape[0], .. Enumerable.Repeat(1L, (int)target.dim() - 1)]);
        return target.mul(w).add_(partner.mul(1 - w));
    }

    /// <summary>
    /// The boxes in the task's targets, which geometric augmentation moves with the pixels; <see langword="null"/>
    /// (the default) when the targets hold no boxes and augmentation only changes the images.
    /// </summary>
    internal virtual IBoxTargets? BoxTargets => null;

    /// <summary>The head of a network trained before any data is seen, to describe the output columns (class counts are placeholders).</summary>
    internal abstract OutputHead PreviewHead();
}

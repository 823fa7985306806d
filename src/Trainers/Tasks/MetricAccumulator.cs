using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Accumulates a task's metric over the batches of an epoch: <see cref="Update"/> once per batch,
/// <see cref="Compute"/> at the end. A fresh accumulator is made per epoch and per evaluation.
/// </summary>
public abstract class MetricAccumulator
{
    /// <summary>Adds one batch. Called without autograd.</summary>
    /// <param name="output">The network's raw output for the batch, shape <c>[B, ...]</c>.</param>
    /// <param name="target">The batch's targets as the task reads them, shape <c>[B, ...]</c>.</param>
    public abstract void Update(Tensor output, Tensor target);

    /// <summary>The metric over every batch added so far; NaN when none was added.</summary>
    public abstract double Compute();

    /// <summary>
    /// The metric of each task of a multi-task network, by task (label column) name, over every batch
    /// added so far; NaN for a task none of whose labels was present. Default: empty (one task).
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> ComputeByTask() => new Dictionary<string, double>();
}

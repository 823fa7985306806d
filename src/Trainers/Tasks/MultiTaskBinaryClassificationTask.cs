using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Multi-task learning: several binary labels per row (pedestrian / car / stop sign / traffic light
/// in one image) learnt by one network whose last layer has one logit per label, over a shared trunk.
/// Each label column is Boolean (never missing) or Single 0/1 with NaN for a missing label. The loss
/// counts the labels present only: it is the <b>sum over tasks of the mean sigmoid cross-entropy over the
/// rows whose label for that task is present</b> (a task with no label in a batch adds 0). The metric is
/// the mean over tasks of each task's accuracy over its present labels; the per-task accuracies are in
/// the history (<c>EpochMetrics.TrainingMetricByTask</c>). Mixed samples (mixup) mix labels linearly; a
/// label missing on either side stays missing. The head is <see cref="MultiTaskBinaryClassificationHead"/>.
/// </summary>
public sealed class MultiTaskBinaryClassificationTask : TrainingTask
{
    internal const string Name = "MultiTaskBinaryClassification";

    /// <summary>Creates the task.</summary>
    /// <param name="labelColumnNames">The label column of each task; at least one, distinct, not empty.</param>
    public MultiTaskBinaryClassificationTask(IReadOnlyList<string> labelColumnNames)
    {
        OptionCheck.RequireNames(labelColumnNames, nameof(labelColumnNames));
        LabelColumnNames = [.. labelColumnNames];
    }

    /// <summary>The label column of each task, in the order of the network's outputs.</summary>
    public IReadOnlyList<string> LabelColumnNames { get; }

    /// <inheritdoc />
    public override string MetricName => "mean accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <summary>Sum over tasks of the mean binary cross-entropy (with logits) over the rows whose label is present (not NaN).</summary>
    /// <param name="output">Logits <c>[B, tasks]</c>.</param>
    /// <param name="target">Labels <c>[B, tasks]</c>: 0, 1 or NaN (missing).</param>
    public override Tensor Loss(Tensor output, Tensor target)
    {
        var present = target.isnan().logical_not();
        var weight = present.to_type(output.dtype);
        var labels = target.nan_to_num(0);
        var perLabel = nn.functional.binary_cross_entropy_with_logits(output, labels, reduction: nn.Reduction.None).mul(weight);
        return perLabel.sum(0L).div(weight.sum(0L).clamp_min(1)).sum();
    }

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new MultiTaskAccuracy(LabelColumnNames);

    internal override IReadOnlyList<string> LabelColumns(string labelColumnName) => LabelColumnNames;

    internal override OutputHead PreviewHead() => new MultiTaskBinaryClassificationHead { LabelColumnNames = LabelColumnNames };

    internal override TargetBinding Bind(TargetContext context)
        => MultiTaskLabelBinding.Create(context.Data, LabelColumnNames, checkCounts: context.Training is null, PreviewHead);

    /// <summary>Accuracy of each task over its present labels, and their mean.</summary>
    private sealed class MultiTaskAccuracy(IReadOnlyList<string> tasks) : MetricAccumulator
    {
        private readonly long[] _correct = new long[tasks.Count];
        private readonly long[] _present = new long[tasks.Count];

        public override void Update(Tensor output, Tensor target)
        {
            using var scope = NewDisposeScope();
            var present = target.isnan().logical_not();
            var correct = output.gt(0).eq(target.gt(0.5)).logical_and(present).sum(0L);
            var counts = stack([correct, present.sum(0L)]).cpu().data<long>().ToArray();
            for (var t = 0; t < tasks.Count; t++)
            {
                _correct[t] += counts[t];
                _present[t] += counts[tasks.Count + t];
            }
        }

        public override double Compute()
        {
            var accuracies = ComputeByTask().Values.Where(a => !double.IsNaN(a)).ToList();
            return accuracies.Count == 0 ? double.NaN : accuracies.Average();
        }

        public override IReadOnlyDictionary<string, double> ComputeByTask()
            => Enumerable.Range(0, tasks.Count).ToDictionary(t => tasks[t], t => _present[t] == 0 ? double.NaN : (double)_correct[t] / _present[t]);
    }
}

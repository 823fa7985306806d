using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Binary classification: sigmoid cross-entropy on one logit, accuracy as the metric. Labels are
/// Boolean, Single 0/1 or a key with 2 values; the head is <see cref="BinaryClassificationHead"/>.
/// </summary>
public sealed class BinaryClassificationTask : TrainingTask
{
    private const string Name = "BinaryClassification";

    /// <inheritdoc />
    public override string MetricName => "accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.binary_cross_entropy_with_logits(output.view(-1), target.view(-1));

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new AccuracyAccumulator((output, target) => output.view(-1).gt(0).eq(target.view(-1).gt(0.5)).sum());

    internal override OutputHead PreviewHead() => new BinaryClassificationHead();

    internal override TargetBinding Bind(TargetContext context)
    {
        var column = LabelColumn.Find(context.Data.Schema, context.LabelColumnName, LabelColumn.Kind.Binary, Name);
        IReadOnlyList<string> warnings = [];
        if (context.Training is null)
        {
            var counts = LabelColumn.CountClasses(context.Data, column, LabelColumn.Kind.Binary, Name);
            warnings = LabelColumn.CheckClasses(column, counts, Name);
        }

        return new ScalarLabelBinding(column, LabelColumn.Kind.Binary, Name, 1, ScalarType.Float32, () => new BinaryClassificationHead(), warnings);
    }
}

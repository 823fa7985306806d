using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>Regression: mean squared error on one output, RMSE as the metric. Labels are finite Single values; the head is <see cref="RegressionHead"/>.</summary>
public sealed class RegressionTask : TrainingTask
{
    private const string Name = "Regression";

    /// <inheritdoc />
    public override string MetricName => "rmse";

    /// <inheritdoc />
    public override bool HigherIsBetter => false;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output.view(-1), target.view(-1));

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new RmseAccumulator();

    internal override OutputHead PreviewHead() => new RegressionHead();

    internal override TargetBinding Bind(TargetContext context)
    {
        var column = LabelColumn.Find(context.Data.Schema, context.LabelColumnName, LabelColumn.Kind.Real, Name);
        return new ScalarLabelBinding(column, LabelColumn.Kind.Real, Name, 1, ScalarType.Float32, () => new RegressionHead(), []);
    }
}

using DeepLearning.Trainers.Tasks;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Regression objective: mean squared error, with RMSE as the metric. Targets are float32.</summary>
internal sealed class MeanSquaredErrorObjective : ILossTask
{
    /// <inheritdoc />
    public string MetricName => "rmse";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output.view(-1), target.view(-1));

    /// <inheritdoc />
    public MetricAccumulator CreateMetric() => new RmseAccumulator();
}

using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Objectives;

/// <summary>Regression objective: mean squared error, with RMSE as the metric. Labels are float32 targets.</summary>
public sealed class MeanSquaredErrorObjective : ITrainingObjective
{
    /// <inheritdoc />
    public string MetricName => "rmse";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor labels) => nn.functional.mse_loss(output.view(-1), labels);

    /// <inheritdoc />
    public double MetricSum(Tensor output, Tensor labels)
    {
        using var sum = output.view(-1).sub(labels).square().sum();
        return sum.item<float>();
    }

    /// <inheritdoc />
    public double Finish(double sum, long count) => Math.Sqrt(sum / count);
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>Accuracy: the fraction of rows whose prediction equals the target.</summary>
/// <param name="correct">Counts the correct rows of a batch (raw output, target) as a scalar tensor.</param>
internal sealed class AccuracyAccumulator(Func<Tensor, Tensor, Tensor> correct) : MetricAccumulator
{
    private long _correct;
    private long _rows;

    public override void Update(Tensor output, Tensor target)
    {
        using var count = correct(output, target);
        _correct += count.item<long>();
        _rows += output.shape[0];
    }

    public override double Compute() => _rows == 0 ? double.NaN : (double)_correct / _rows;
}

/// <summary>Root mean squared error over every output value.</summary>
internal sealed class RmseAccumulator : MetricAccumulator
{
    private double _sum;
    private long _count;

    public override void Update(Tensor output, Tensor target)
    {
        using var squared = output.reshape(target.shape).to(ScalarType.Float64).sub(target.to(ScalarType.Float64)).square().sum();
        _sum += squared.item<double>();
        _count += target.numel();
    }

    public override double Compute() => _count == 0 ? double.NaN : Math.Sqrt(_sum / _count);
}

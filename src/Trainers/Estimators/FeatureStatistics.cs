using DeepLearning.Transforms.Inputs;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>Per-channel mean and standard deviation of a batch of inputs <c>[N, ..shape]</c>, and standardising in place.</summary>
internal static class FeatureStatistics
{
    /// <summary>The per-channel statistics (channel = axis 1 of the batch; a flat input has one per feature). A constant channel gets standard deviation 1.</summary>
    public static InputNormalization Compute(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var channels = inputs.shape[1];
        var perChannel = inputs.transpose(0, 1).reshape(channels, -1).to(ScalarType.Float64);
        var mean = perChannel.mean([1]);
        var std = perChannel.std(1, unbiased: false);
        std = where(std.gt(1e-12), std, ones_like(std));
        return new InputNormalization(mean.to(ScalarType.Float32).data<float>().ToArray(), std.to(ScalarType.Float32).data<float>().ToArray());
    }

    /// <summary>Standardises <paramref name="inputs"/> <c>[N, ..shape]</c> in place.</summary>
    public static void Apply(Tensor inputs, InputNormalization normalization, IReadOnlyList<long> shape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, std) = normalization.ToTensors(shape, inputs.device);
        inputs.sub_(mean).div_(std);
    }
}

using DeepLearning.Trainers.Diagnostics;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Diagnostics;

/// <summary>Gradient-checks a module's parameters and its input in float64.</summary>
internal static class ModuleGradientCheck
{
    /// <summary>The tolerance every check must meet.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// Checks <paramref name="module"/> (converted to float64) on a random input of shape
    /// <paramref name="inputShape"/>, with loss sum(output · r) for a fixed random r, and asserts that the
    /// overall and every per-tensor relative error is below <see cref="Tolerance"/>.
    /// </summary>
    public static GradientCheckResult AssertPasses(ITestOutputHelper output, nn.Module<Tensor, Tensor> module, params long[] inputShape)
    {
        module.to(ScalarType.Float64);
        using var x = randn(inputShape, dtype: ScalarType.Float64, requires_grad: true);
        Tensor r;
        using (var forward = module.call(x))
        {
            r = randn(forward.shape, dtype: ScalarType.Float64);
        }

        using var weights = r;
        var tensors = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Append(("input", x));
        var result = GradientCheck.Run(() => (module.call(x) * r).sum(), tensors);
        output.WriteLine($"{module.GetName()}: {result}");
        Assert.True(result.Passed(Tolerance), result.ToString());
        Assert.All(result.TensorErrors, e => Assert.True(e.Value < Tolerance, $"{e.Key}: {e.Value}"));
        return result;
    }
}

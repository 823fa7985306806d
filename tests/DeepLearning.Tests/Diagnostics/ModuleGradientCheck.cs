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

    /// <summary>
    /// Draws every batch norm's γ in [0.5, 1.5] and β from N(0, 1) and puts the module in train mode.
    /// With the initial γ = 1, β = 0, relu(γ·x̂) = γ·relu(x̂) and the next batch norm (train mode)
    /// divides γ out again: the true gradient of the first γ is ~0 and its relative error is noise.
    /// Random γ and β, as after training, make every gradient informative.
    /// </summary>
    public static T WithRandomAffineNorms<T>(T block)
        where T : nn.Module
    {
        using (no_grad())
        {
            foreach (var norm in block.modules().OfType<TorchSharp.Modules.BatchNorm>())
            {
                norm.weight!.uniform_(0.5, 1.5);
                norm.bias!.normal_();
            }
        }

        block.train();
        return block;
    }
}

using DeepLearning.Transforms.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Networks.Architectures;

/// <summary>Compares an architecture of ours with TorchVision's: parameter count, state_dict keys and shapes, outputs.</summary>
internal static class TorchVisionParity
{
    /// <summary>Number of trainable parameter values.</summary>
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>Asserts identical state_dict keys (in any order) with identical shapes.</summary>
    public static void AssertSameKeysAndShapes(nn.Module reference, nn.Module ours)
    {
        var expected = reference.state_dict().ToDictionary(kv => kv.Key, kv => string.Join("x", kv.Value.shape));
        var actual = ours.state_dict().ToDictionary(kv => kv.Key, kv => string.Join("x", kv.Value.shape));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected)
        {
            Assert.True(shape == actual[key], $"{key}: torchvision {shape}, ours {actual[key]}");
        }
    }

    /// <summary>
    /// Randomises the reference's batch-norm statistics, loads its state_dict into ours by name and
    /// returns the largest absolute output difference on one random input in eval mode.
    /// </summary>
    public static double MaxOutputDifference(nn.Module<Tensor, Tensor> reference, nn.Module<Tensor, Tensor> ours, params long[] inputShape)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, buffer) in reference.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.uniform_(-0.1, 0.1);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.uniform_(0.5, 1.5);
            }
        }

        ours.load_state_dict(reference.state_dict());
        reference.eval();
        ours.eval();
        using var x = torch.randn(inputShape);
        using var expected = reference.call(x);
        using var actual = ours.call(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.abs().max().ToDouble() > 1e-3, "The reference output is all (near) zero: the comparison would prove nothing.");
        return (expected - actual).abs().max().ToDouble();
    }

    /// <summary>Asserts the output shape of <paramref name="spec"/>'s network on a batch of 2 in eval mode.</summary>
    public static void AssertOutputShape(NetworkSpec spec)
    {
        using var noGrad = torch.no_grad();
        using var network = spec.Build();
        network.eval();
        using var x = torch.randn([2, .. spec.InputShape]);
        using var y = network.call(x);
        Assert.Equal(new long[] { 2, spec.OutputSize }, y.shape);
    }

    /// <summary>Asserts a JSON round trip gives an equal spec.</summary>
    public static void AssertJsonRoundTrip(NetworkSpec spec)
    {
        var json = spec.ToJson();
        Assert.DoesNotContain("InputShape", json, StringComparison.Ordinal);
        var back = NetworkSpec.FromJson(json);
        Assert.Equal(spec.GetType(), back.GetType());
        Assert.Equal(json, back.ToJson());
    }

    /// <summary>Asserts <paramref name="spec"/> fails validation naming <paramref name="option"/>.</summary>
    public static void AssertInvalid(NetworkSpec spec, string option)
    {
        var e = Assert.ThrowsAny<ArgumentException>(spec.Validate);
        Assert.Contains($"Option {option} = ", e.Message, StringComparison.Ordinal);
        var f = Assert.Throws<FormatException>(() => NetworkSpec.FromJson(spec.ToJson()));
        Assert.Contains($"Option {option} = ", f.Message, StringComparison.Ordinal);
    }
}

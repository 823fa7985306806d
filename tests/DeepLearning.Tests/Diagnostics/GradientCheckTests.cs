using DeepLearning.Trainers.Diagnostics;
using Xunit.Abstractions;
using DeepLearning.Transforms.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DeepLearning.Tests.Diagnostics;

public class GradientCheckTests
{
    private const double Tolerance = 1e-6;
    private readonly ITestOutputHelper output;

    public GradientCheckTests(ITestOutputHelper output)
    {
        this.output = output;
        torch.random.manual_seed(42);
    }

    // ---- The oracle itself ----

    [Fact]
    public void KnownGradientPasses()
    {
        // d/dx sum(x³) = 3x².
        using var x = Randn(3, 4);
        var result = GradientCheck.Run(() => x.pow(3).sum(), [("x", x)]);
        Assert.True(result.Passed(), result.ToString());
        Assert.True(result.RelativeError < 1e-8, result.ToString());
        Assert.Equal(12, result.ElementsChecked);
        Assert.Equal("x", result.WorstTensor);
    }

    [Fact]
    public void WrongGradientIsDetected()
    {
        // sum(x · x.detach()) has true gradient 2x but autograd only sees x: relative error |x|/(|x|+|2x|) = 1/3.
        using var x = Randn(3, 4);
        var result = GradientCheck.Run(() => (x * x.detach()).sum(), [("x", x)]);
        Assert.False(result.Passed());
        Assert.True(result.RelativeError > 1e-2, result.ToString());
        Assert.Equal(1.0 / 3, result.RelativeError, 6);
    }

    [Fact]
    public void ReportsPerTensorErrorsAndWorstTensor()
    {
        using var good = Randn(4);
        using var bad = Randn(4);
        var result = GradientCheck.Run(() => good.pow(2).sum() + (bad * bad.detach()).sum(), [("good", good), ("bad", bad)]);
        Assert.True(result.TensorErrors["good"] < Tolerance);
        Assert.True(result.TensorErrors["bad"] > 1e-2);
        Assert.Equal("bad", result.WorstTensor);
        Assert.Equal(8, result.ElementsChecked);
    }

    [Fact]
    public void ZeroGradientCountsAsNoError()
    {
        using var x = Randn(3);
        var result = GradientCheck.Run(() => (x * 0).sum(), [("x", x)]);
        Assert.Equal(0, result.RelativeError);
        Assert.True(result.Passed());
    }

    [Fact]
    public void BigTensorsAreSampledAndValuesRestoredExactly()
    {
        using var x = Randn(50, 40);
        using var before = x.detach().clone();
        var result = GradientCheck.Run(() => x.pow(3).sum(), [("x", x)], maxElementsPerTensor: 25, seed: 3);
        Assert.Equal(25, result.ElementsChecked);
        Assert.True(result.Passed(), result.ToString());
        Assert.True(before.allclose(x.detach(), 0, 0));
    }

    [Fact]
    public void RejectsFloat32ParametersNamingThem()
    {
        using var linear = nn.Linear(3, 2);
        using var x = torch.randn(4, 3);
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Run(() => linear.call(x).sum(), linear));
        Assert.Contains("weight", e.Message);
        Assert.Contains("Float32", e.Message);

        using var input = torch.randn([3], requires_grad: true);
        e = Assert.Throws<ArgumentException>(() => GradientCheck.Run(() => input.sum(), [("my-input", input)]));
        Assert.Contains("my-input", e.Message);
    }

    [Fact]
    public void RejectsNonScalarLoss()
    {
        using var x = Randn(3);
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(() => x * 2, [("x", x)]));
    }

    // ---- Every layer we ship ----

    [Fact]
    public void LinearPasses()
    {
        using var linear = nn.Linear(4, 3);
        AssertModulePasses(linear, 5, 4);
    }

    [Fact]
    public void BatchNorm1dInTrainModePasses()
    {
        using var bn = nn.BatchNorm1d(3);
        bn.train();
        AssertModulePasses(bn, 6, 3);
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Gelu)]
    public void ActivationPasses(Activation activation)
    {
        // Random normal inputs are almost surely not within ε of the ReLU kink at 0.
        using var module = DeepNeuralNetwork.CreateActivation(activation, 0.1);
        AssertModulePasses(module, 5, 4);
    }

    [Fact]
    public void DropoutReseededInsideTheLossPasses()
    {
        using var dropout = nn.Dropout(0.5);
        dropout.train();
        using var x = Randn(5, 4);
        using var r = torch.randn([5, 4], dtype: float64);
        var result = GradientCheck.Run(
            () =>
            {
                torch.random.manual_seed(7);
                return (dropout.call(x) * r).sum();
            },
            [("x", x)]);
        Assert.True(result.Passed(Tolerance), result.ToString());
    }

    [Fact]
    public void DropoutWithoutReseedingFails()
    {
        // Documents why the loss must re-seed: each evaluation draws a new mask.
        using var dropout = nn.Dropout(0.5);
        dropout.train();
        using var x = Randn(5, 4);
        var result = GradientCheck.Run(() => dropout.call(x).pow(2).sum(), [("x", x)]);
        Assert.True(result.RelativeError > 1e-2, result.ToString());
    }

    [Fact]
    public void CrossEntropyPasses()
    {
        using var logits = Randn(6, 3);
        using var target = torch.tensor(new long[] { 0, 2, 1, 1, 0, 2 });
        var result = GradientCheck.Run(() => F.cross_entropy(logits, target), [("logits", logits)]);
        Assert.True(result.Passed(Tolerance), result.ToString());
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsPasses()
    {
        using var logits = Randn(6, 1);
        using var target = torch.tensor(new double[] { 0, 1, 1, 0, 1, 0 }).reshape(6, 1);
        var result = GradientCheck.Run(() => F.binary_cross_entropy_with_logits(logits, target), [("logits", logits)]);
        Assert.True(result.Passed(Tolerance), result.ToString());
    }

    [Fact]
    public void MeanSquaredErrorPasses()
    {
        using var prediction = Randn(6, 2);
        using var target = torch.randn([6, 2], dtype: float64);
        var result = GradientCheck.Run(() => F.mse_loss(prediction, target), [("prediction", prediction)]);
        Assert.True(result.Passed(Tolerance), result.ToString());
    }

    // ---- Whole networks ----

    public static TheoryData<string> Networks => ["logistic", "shallow", "deep"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void DeepNeuralNetworkPasses(string form)
    {
        var spec = form switch
        {
            "logistic" => new DeepNeuralNetworkSpec { InputSize = 4, OutputSize = 3 },
            "shallow" => new DeepNeuralNetworkSpec { InputSize = 4, HiddenLayers = [5], OutputSize = 3, Activation = Activation.Tanh },
            _ => new DeepNeuralNetworkSpec
            {
                InputSize = 4,
                HiddenLayers = [6, 5, 4],
                OutputSize = 3,
                BatchNormalization = true,
                Dropout = [0.2],
                Activation = Activation.ReLU,
            },
        };
        using var network = new DeepNeuralNetwork(spec);
        network.to(ScalarType.Float64);
        network.train();
        using var x = torch.randn([8, 4], dtype: float64);
        using var y = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });

        var result = GradientCheck.Run(
            () =>
            {
                torch.random.manual_seed(11); // same dropout mask on every evaluation
                return F.cross_entropy(network.call(x), y);
            },
            network);

        output.WriteLine($"{form}: {result}");
        Assert.True(result.Passed(Tolerance), result.ToString());
        Assert.Equal(network.parameters().Sum(p => p.numel()), result.ElementsChecked);
    }

    private static Tensor Randn(params long[] shape) => torch.randn(shape, dtype: float64, requires_grad: true);

    private void AssertModulePasses(nn.Module<Tensor, Tensor> module, long batch, long features)
        => ModuleGradientCheck.AssertPasses(output, module, batch, features);
}

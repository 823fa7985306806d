using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks;

/// <summary>Applies a <see cref="WeightInitialization"/> to a weight tensor in place.</summary>
public static class WeightInitializer
{
    /// <summary>Initialises <paramref name="weight"/> (shape <c>[fan_out, fan_in, ...]</c>) in place, without recording gradients.</summary>
    /// <param name="weight">Weight of a linear or convolution layer.</param>
    /// <param name="initialization">The scheme; <see cref="WeightInitialization.Auto"/> picks by activation.</param>
    /// <param name="activation">Activation that follows the layer (sets the gain).</param>
    /// <param name="leakySlope">Negative slope when the activation is leaky ReLU.</param>
    public static void Initialize(Tensor weight, WeightInitialization initialization, Activation activation, double leakySlope)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var scheme = initialization == WeightInitialization.Auto
            ? activation is Activation.Tanh or Activation.Sigmoid ? WeightInitialization.XavierNormal : WeightInitialization.HeNormal
            : initialization;
        var (fanIn, fanOut) = Fans(weight);
        var gain = activation switch
        {
            Activation.Tanh => 5.0 / 3,
            Activation.LeakyReLU => Math.Sqrt(2.0 / (1 + (leakySlope * leakySlope))),
            Activation.Sigmoid => 1.0,
            _ => Math.Sqrt(2.0),
        };
        using var noGrad = torch.no_grad();
        switch (scheme)
        {
            case WeightInitialization.XavierUniform:
                var a = (activation is Activation.Tanh ? gain : 1.0) * Math.Sqrt(6.0 / (fanIn + fanOut));
                weight.uniform_(-a, a);
                break;
            case WeightInitialization.XavierNormal:
                weight.normal_(0, (activation is Activation.Tanh ? gain : 1.0) * Math.Sqrt(2.0 / (fanIn + fanOut)));
                break;
            case WeightInitialization.HeUniform:
                var b = gain * Math.Sqrt(3.0 / fanIn);
                weight.uniform_(-b, b);
                break;
            case WeightInitialization.HeNormal:
                weight.normal_(0, gain / Math.Sqrt(fanIn));
                break;
            case WeightInitialization.SmallRandom:
                weight.normal_(0, 0.01);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown weight initialisation.");
        }
    }

    private static (double FanIn, double FanOut) Fans(Tensor weight)
    {
        if (weight.dim() < 2)
        {
            throw new ArgumentException($"A weight needs at least 2 dimensions to have fan-in and fan-out, got shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        double receptive = 1;
        for (var d = 2; d < weight.dim(); d++)
        {
            receptive *= weight.shape[d];
        }

        return (weight.shape[1] * receptive, weight.shape[0] * receptive);
    }
}

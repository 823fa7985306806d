using static TorchSharp.torch;

namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>The gradients of a loss with respect to a convolution's input, weight and bias. Dispose to free them.</summary>
/// <param name="Input">∂L/∂x, shaped like the input [N, C, H, W].</param>
/// <param name="Weight">∂L/∂W, shaped like the weight [O, C / groups, kH, kW].</param>
/// <param name="Bias">∂L/∂b [O], or null when the convolution has no bias.</param>
public sealed record Conv2dGradients(Tensor Input, Tensor Weight, Tensor? Bias) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        Input.Dispose();
        Weight.Dispose();
        Bias?.Dispose();
    }
}

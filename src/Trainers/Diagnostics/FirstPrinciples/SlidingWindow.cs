using static TorchSharp.torch;

namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>Shape arithmetic and argument checks shared by the hand-written convolution and pooling.</summary>
internal static class SlidingWindow
{
    /// <summary>Number of window positions along one axis (floor mode).</summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation)
        => ((input + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;

    /// <summary>Throws unless both parts of <paramref name="pair"/> are at least <paramref name="minimum"/>.</summary>
    public static void RequireAtLeast((long Height, long Width) pair, long minimum, string name)
    {
        if (pair.Height < minimum || pair.Width < minimum)
        {
            throw new ArgumentOutOfRangeException(name, pair, $"{name} must be at least {minimum} in both directions.");
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> is a floating-point [N, C, H, W] batch.</summary>
    public static void RequireImageBatch(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != 4 || !tensor.is_floating_point())
        {
            throw new ArgumentException($"{name} must be a floating-point [N, C, H, W] tensor; it is {tensor.dtype} of shape [{string.Join(", ", tensor.shape)}].", name);
        }
    }

    /// <summary>Throws unless <paramref name="gradOutput"/> has the shape <paramref name="expected"/>.</summary>
    public static void RequireShape(Tensor gradOutput, long[] expected, string name)
    {
        ArgumentNullException.ThrowIfNull(gradOutput, name);
        if (!gradOutput.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"{name} has shape [{string.Join(", ", gradOutput.shape)}]; the forward output has [{string.Join(", ", expected)}].", name);
        }
    }
}

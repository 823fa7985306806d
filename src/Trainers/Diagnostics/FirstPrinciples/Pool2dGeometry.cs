namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>
/// How a 2-d pooling window slides, with PyTorch's meaning of every field (floor mode). Each pair
/// is (height, width).
/// </summary>
public sealed record Pool2dGeometry
{
    /// <summary>Window size. Required; both at least 1.</summary>
    public required (long Height, long Width) Kernel { get; init; }

    /// <summary>Step between two windows. Default: the kernel size (non-overlapping windows); both at least 1.</summary>
    public (long Height, long Width)? Stride { get; init; }

    /// <summary>Padding on each side; at most half the kernel, as PyTorch requires. Default (0, 0).</summary>
    public (long Height, long Width) Padding { get; init; } = (0, 0);

    /// <summary>
    /// Average pooling only: whether padded zeros count in the divisor. Default true, as in
    /// PyTorch's <c>avg_pool2d</c>; when false a window is divided by its number of real pixels.
    /// </summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>The stride in use: <see cref="Stride"/>, or the kernel size when it is not set.</summary>
    internal (long Height, long Width) EffectiveStride => Stride ?? Kernel;

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A kernel or stride below 1, or a padding negative or above half the kernel.</exception>
    internal void Validate()
    {
        SlidingWindow.RequireAtLeast(Kernel, 1, nameof(Kernel));
        SlidingWindow.RequireAtLeast(EffectiveStride, 1, nameof(Stride));
        SlidingWindow.RequireAtLeast(Padding, 0, nameof(Padding));
        if (Padding.Height > Kernel.Height / 2 || Padding.Width > Kernel.Width / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Padding), Padding, $"Padding must be at most half the kernel {Kernel}.");
        }
    }
}

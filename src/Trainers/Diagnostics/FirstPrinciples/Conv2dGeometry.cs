namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>
/// How a 2-d convolution slides its kernel, with PyTorch's meaning of every field. Each pair is
/// (height, width). The output height is ⌊(H + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1,
/// and likewise for the width.
/// </summary>
public sealed record Conv2dGeometry
{
    /// <summary>Step between two kernel positions. Default (1, 1); both at least 1.</summary>
    public (long Height, long Width) Stride { get; init; } = (1, 1);

    /// <summary>Zeros added on each side of the input (top and bottom, left and right). Default (0, 0); not negative.</summary>
    public (long Height, long Width) Padding { get; init; } = (0, 0);

    /// <summary>Spacing between kernel taps (1: adjacent pixels). Default (1, 1); both at least 1.</summary>
    public (long Height, long Width) Dilation { get; init; } = (1, 1);

    /// <summary>
    /// Channel groups: input and output channels are split into this many groups and group g of the
    /// output sees only group g of the input. Default 1; divides both channel counts. Groups equal to
    /// the input channels is a depthwise convolution.
    /// </summary>
    public long Groups { get; init; } = 1;

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A stride, dilation or group count below 1, or a negative padding.</exception>
    internal void Validate()
    {
        SlidingWindow.RequireAtLeast(Stride, 1, nameof(Stride));
        SlidingWindow.RequireAtLeast(Padding, 0, nameof(Padding));
        SlidingWindow.RequireAtLeast(Dilation, 1, nameof(Dilation));
        ArgumentOutOfRangeException.ThrowIfLessThan(Groups, 1, nameof(Groups));
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>
/// A 2-d convolution (PyTorch's cross-correlation) whose forward and backward passes are written by
/// hand, for learning and for checking: both agree with <c>torch.nn.functional.conv2d</c> and its
/// autograd (see the tests). <see cref="Forward"/> and <see cref="Backward"/> record no autograd graph;
/// <see cref="Apply"/> records one whose backward pass is <see cref="Backward"/>. It sits with the diagnostics in
/// DeepLearning.Trainers, not with the networks, because it is for learning and checking, never for scoring.
/// </summary>
/// <remarks>
/// <para><b>Method: im2col / col2im.</b> <c>unfold</c> (im2col) copies every receptive field of the
/// zero-padded input into a column: <c>cols</c> is [N, C·kH·kW, L] with L = H_out·W_out, rows ordered
/// channel-major then kernel row then kernel column, exactly the layout of a weight row flattened
/// from [C, kH, kW]. With groups g the rows split into g blocks of (C/g)·kH·kW and the weight into
/// g blocks of O/g rows, so</para>
/// <para>forward: y[n, g] = W[g] · cols[n, g] (a batched matrix product [O/g, K] × [K, L]) plus b.</para>
/// <para>backward, for an upstream gradient dy reshaped to [N, g, O/g, L]:
/// ∂L/∂b = Σ over n and positions of dy; ∂L/∂W[g] = Σₙ dy[n, g] · cols[n, g]ᵀ;
/// ∂L/∂cols[n, g] = W[g]ᵀ · dy[n, g], and ∂L/∂x = <c>fold</c>(∂L/∂cols) (col2im), which adds every
/// column entry back to the pixel it was copied from, so a pixel seen by several windows sums their
/// gradients, and drops the entries that came from the padding.</para>
/// </remarks>
public static class Conv2dFromScratch
{
    /// <summary>
    /// <see cref="Forward"/> recorded for autograd, with <see cref="Backward"/> as its backward pass: use it
    /// in a model that trains, or check the hand-written gradients with <see cref="GradientCheck"/>.
    /// </summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="weight">The kernels [O, C / groups, kH, kW].</param>
    /// <param name="bias">One value per output channel [O], or null.</param>
    /// <param name="geometry">Stride, padding, dilation and groups.</param>
    /// <returns>The output [N, O, H_out, W_out], differentiable with respect to the three tensors.</returns>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry geometry)
    {
        Check(input, weight, geometry);
        return bias is null
            ? HandWrittenAutograd.Conv2dFunction.apply(input, weight, geometry)
            : HandWrittenAutograd.Conv2dFunction.apply(input, weight, bias, geometry);
    }

    /// <summary>The convolution of <paramref name="input"/> with <paramref name="weight"/>, plus <paramref name="bias"/>.</summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="weight">The kernels [O, C / groups, kH, kW]; O divisible by the groups.</param>
    /// <param name="bias">One value per output channel [O], or null.</param>
    /// <param name="geometry">Stride, padding, dilation and groups.</param>
    /// <returns>The output [N, O, H_out, W_out].</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry geometry)
    {
        var shape = Check(input, weight, geometry);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cols = GroupedColumns(input, weight, geometry);
        var output = matmul(GroupedWeight(weight, geometry.Groups).unsqueeze(0), cols).reshape(shape);
        if (bias is not null)
        {
            output = output + bias.reshape(1, -1, 1, 1);
        }

        return scope.MoveToOuter(output);
    }

    /// <summary>The gradients of a loss given its gradient <paramref name="gradOutput"/> with respect to the forward output.</summary>
    /// <param name="gradOutput">∂L/∂y, shaped like the forward output [N, O, H_out, W_out].</param>
    /// <param name="input">The forward input [N, C, H, W].</param>
    /// <param name="weight">The forward weight [O, C / groups, kH, kW].</param>
    /// <param name="withBias">Whether the forward pass added a bias (then its gradient is computed).</param>
    /// <param name="geometry">The forward geometry.</param>
    /// <returns>∂L/∂x, ∂L/∂W and ∂L/∂b.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public static Conv2dGradients Backward(Tensor gradOutput, Tensor input, Tensor weight, bool withBias, Conv2dGeometry geometry)
    {
        var shape = Check(input, weight, geometry);
        SlidingWindow.RequireShape(gradOutput, shape, nameof(gradOutput));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (n, groups) = (input.shape[0], geometry.Groups);
        var dy = gradOutput.reshape(n, groups, shape[1] / groups, -1);
        var cols = GroupedColumns(input, weight, geometry);
        var gradWeight = matmul(dy, cols.transpose(-1, -2)).sum(dim: 0).reshape(weight.shape);
        var gradCols = matmul(GroupedWeight(weight, groups).transpose(-1, -2).unsqueeze(0), dy).reshape(n, -1, dy.shape[3]);
        var gradInput = nn.functional.fold(
            gradCols,
            (input.shape[2], input.shape[3]),
            (weight.shape[2], weight.shape[3]),
            geometry.Dilation,
            geometry.Padding,
            geometry.Stride);
        var gradBias = withBias ? gradOutput.sum([0, 2, 3]) : null;
        scope.MoveToOuter(gradInput, gradWeight);
        if (gradBias is not null)
        {
            scope.MoveToOuter(gradBias);
        }

        return new Conv2dGradients(gradInput, gradWeight, gradBias);
    }

    // cols [N, C·kH·kW, L] split into groups: [N, g, (C/g)·kH·kW, L].
    private static Tensor GroupedColumns(Tensor input, Tensor weight, Conv2dGeometry geometry)
    {
        var cols = nn.functional.unfold(input, (weight.shape[2], weight.shape[3]), geometry.Dilation, geometry.Padding, geometry.Stride);
        return cols.reshape(input.shape[0], geometry.Groups, -1, cols.shape[2]);
    }

    // The weight as g matrices [O/g, (C/g)·kH·kW].
    private static Tensor GroupedWeight(Tensor weight, long groups) => weight.reshape(groups, weight.shape[0] / groups, -1);

    // The output shape, after checking that input, weight and geometry fit together.
    private static long[] Check(Tensor input, Tensor weight, Conv2dGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        SlidingWindow.RequireImageBatch(input, nameof(input));
        SlidingWindow.RequireImageBatch(weight, nameof(weight));
        var groups = geometry.Groups;
        if (input.shape[1] % groups != 0 || weight.shape[0] % groups != 0 || weight.shape[1] * groups != input.shape[1])
        {
            throw new ArgumentException($"With {groups} groups, input channels ({input.shape[1]}) and output channels ({weight.shape[0]}) must be divisible by the groups and the weight must have input channels / groups ({weight.shape[1]}) channels.", nameof(weight));
        }

        var height = SlidingWindow.OutputSize(input.shape[2], weight.shape[2], geometry.Stride.Height, geometry.Padding.Height, geometry.Dilation.Height);
        var width = SlidingWindow.OutputSize(input.shape[3], weight.shape[3], geometry.Stride.Width, geometry.Padding.Width, geometry.Dilation.Width);
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"The dilated kernel does not fit in the padded input [{input.shape[2]}, {input.shape[3]}].", nameof(input));
        }

        return [input.shape[0], weight.shape[0], height, width];
    }
}

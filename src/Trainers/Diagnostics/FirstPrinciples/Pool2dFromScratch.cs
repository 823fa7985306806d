using static TorchSharp.torch;

namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>
/// 2-d max and average pooling whose forward and backward passes are written by hand, for learning
/// and for checking: they agree with <c>torch.nn.functional.max_pool2d</c> / <c>avg_pool2d</c> and
/// their autograd (floor mode; see the tests). The forward and backward methods record no autograd
/// graph; <see cref="ApplyMax"/> and <see cref="ApplyAvg"/> record one whose backward pass is the hand-written one.
/// </summary>
/// <remarks>
/// <para><b>Method: im2col / col2im per channel.</b> Every channel is pooled on its own, so the batch is
/// viewed as N·C one-channel images and <c>unfold</c> copies each window into a column
/// [N·C, kH·kW, L] (L = H_out·W_out). Max pooling pads with −∞ first (a padded pixel never wins);
/// average pooling lets <c>unfold</c> pad with zeros.</para>
/// <para><b>Max.</b> Forward: the largest entry of each column. Backward: the whole upstream gradient of
/// a window goes to its winning pixel, found again with <c>argmax</c>: a column of zeros with
/// dy at the winner (<c>scatter</c>), then <c>fold</c> (col2im) adds every window's contribution back
/// to its pixel — a pixel that wins several overlapping windows collects all their gradients.
/// <b>Ties</b>: the winner is the first maximal pixel of the window in row-major order
/// (<c>argmax</c> returns the first maximal index), which is the pixel PyTorch's CPU kernel picks,
/// since it replaces its running maximum only on a strictly larger value; the other tied pixels get no
/// gradient. Other backends may pick another tied pixel.</para>
/// <para><b>Average.</b> Forward: the column sum over the divisor — kH·kW, or with
/// <see cref="Pool2dGeometry.CountIncludePad"/> false the number of real pixels in the window (the
/// column sum of an unfolded image of ones). Backward: dy / divisor spread evenly over the window's
/// kH·kW entries, then <c>fold</c>, which drops the entries that fell on the padding.</para>
/// </remarks>
public static class Pool2dFromScratch
{
    /// <summary><see cref="MaxForward"/> recorded for autograd, with <see cref="MaxBackward"/> as its backward pass.</summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="geometry">Kernel, stride and padding.</param>
    /// <returns>The output [N, C, H_out, W_out], differentiable with respect to the input.</returns>
    public static Tensor ApplyMax(Tensor input, Pool2dGeometry geometry)
    {
        Check(input, geometry);
        return HandWrittenAutograd.MaxPoolFunction.apply(input, geometry);
    }

    /// <summary><see cref="AvgForward"/> recorded for autograd, with <see cref="AvgBackward"/> as its backward pass.</summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="geometry">Kernel, stride, padding and whether padding counts in the divisor.</param>
    /// <returns>The output [N, C, H_out, W_out], differentiable with respect to the input.</returns>
    public static Tensor ApplyAvg(Tensor input, Pool2dGeometry geometry)
    {
        Check(input, geometry);
        return HandWrittenAutograd.AvgPoolFunction.apply(input, geometry);
    }

    /// <summary>Max pooling of every channel of <paramref name="input"/>.</summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="geometry">Kernel, stride and padding.</param>
    /// <returns>The output [N, C, H_out, W_out].</returns>
    public static Tensor MaxForward(Tensor input, Pool2dGeometry geometry)
    {
        var shape = Check(input, geometry);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return scope.MoveToOuter(MaxColumns(input, geometry).amax(1).reshape(shape));
    }

    /// <summary>∂L/∂x of max pooling given ∂L/∂y (<paramref name="gradOutput"/>).</summary>
    /// <param name="gradOutput">∂L/∂y, shaped like the forward output [N, C, H_out, W_out].</param>
    /// <param name="input">The forward input [N, C, H, W].</param>
    /// <param name="geometry">The forward geometry.</param>
    /// <returns>∂L/∂x [N, C, H, W].</returns>
    public static Tensor MaxBackward(Tensor gradOutput, Tensor input, Pool2dGeometry geometry)
    {
        var shape = Check(input, geometry);
        SlidingWindow.RequireShape(gradOutput, shape, nameof(gradOutput));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cols = MaxColumns(input, geometry);
        var winners = cols.argmax(1, keepdim: true);
        var gradCols = zeros_like(cols).scatter_(1, winners, gradOutput.reshape(winners.shape));
        var (height, width) = (input.shape[2], input.shape[3]);
        var (padH, padW) = geometry.Padding;
        var padded = nn.functional.fold(gradCols, (height + (2 * padH), width + (2 * padW)), geometry.Kernel, stride: geometry.EffectiveStride);
        var gradInput = padded.narrow(2, padH, height).narrow(3, padW, width).reshape(input.shape);
        return scope.MoveToOuter(gradInput.contiguous());
    }

    /// <summary>Average pooling of every channel of <paramref name="input"/>.</summary>
    /// <param name="input">The batch [N, C, H, W].</param>
    /// <param name="geometry">Kernel, stride, padding and whether padding counts in the divisor.</param>
    /// <returns>The output [N, C, H_out, W_out].</returns>
    public static Tensor AvgForward(Tensor input, Pool2dGeometry geometry)
    {
        var shape = Check(input, geometry);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cols = nn.functional.unfold(PerChannel(input), geometry.Kernel, padding: geometry.Padding, stride: geometry.EffectiveStride);
        return scope.MoveToOuter((cols.sum(1) / Divisor(input, geometry)).reshape(shape));
    }

    /// <summary>∂L/∂x of average pooling given ∂L/∂y (<paramref name="gradOutput"/>).</summary>
    /// <param name="gradOutput">∂L/∂y, shaped like the forward output [N, C, H_out, W_out].</param>
    /// <param name="input">The forward input [N, C, H, W] (only its shape, dtype and device are used).</param>
    /// <param name="geometry">The forward geometry.</param>
    /// <returns>∂L/∂x [N, C, H, W].</returns>
    public static Tensor AvgBackward(Tensor gradOutput, Tensor input, Pool2dGeometry geometry)
    {
        var shape = Check(input, geometry);
        SlidingWindow.RequireShape(gradOutput, shape, nameof(gradOutput));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var share = (gradOutput.reshape(shape[0] * shape[1], -1) / Divisor(input, geometry)).unsqueeze(1);
        var gradCols = share.expand(-1, geometry.Kernel.Height * geometry.Kernel.Width, -1).contiguous();
        var gradInput = nn.functional.fold(gradCols, (input.shape[2], input.shape[3]), geometry.Kernel, padding: geometry.Padding, stride: geometry.EffectiveStride);
        return scope.MoveToOuter(gradInput.reshape(input.shape));
    }

    // Windows of the −∞-padded channels: [N·C, kH·kW, L].
    private static Tensor MaxColumns(Tensor input, Pool2dGeometry geometry)
    {
        var (padH, padW) = geometry.Padding;
        var padded = nn.functional.pad(PerChannel(input), [padW, padW, padH, padH], value: double.NegativeInfinity);
        return nn.functional.unfold(padded, geometry.Kernel, stride: geometry.EffectiveStride);
    }

    // The divisor of every window: a scalar kH·kW, or [1, L] real-pixel counts.
    private static Tensor Divisor(Tensor input, Pool2dGeometry geometry)
    {
        if (geometry.CountIncludePad)
        {
            return tensor((double)(geometry.Kernel.Height * geometry.Kernel.Width), input.dtype, input.device);
        }

        var ones = TorchSharp.torch.ones([1, 1, input.shape[2], input.shape[3]], input.dtype, input.device);
        return nn.functional.unfold(ones, geometry.Kernel, padding: geometry.Padding, stride: geometry.EffectiveStride).sum(1);
    }

    private static Tensor PerChannel(Tensor input) => input.reshape(-1, 1, input.shape[2], input.shape[3]);

    private static long[] Check(Tensor input, Pool2dGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        SlidingWindow.RequireImageBatch(input, nameof(input));
        var stride = geometry.EffectiveStride;
        var height = SlidingWindow.OutputSize(input.shape[2], geometry.Kernel.Height, stride.Height, geometry.Padding.Height, 1);
        var width = SlidingWindow.OutputSize(input.shape[3], geometry.Kernel.Width, stride.Width, geometry.Padding.Width, 1);
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"The kernel {geometry.Kernel} does not fit in the padded input [{input.shape[2]}, {input.shape[3]}].", nameof(input));
        }

        return [input.shape[0], input.shape[1], height, width];
    }
}

using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace DeepLearning.Trainers.Diagnostics.FirstPrinciples;

/// <summary>
/// Custom autograd functions whose backward passes are the hand-written ones, so the hand-written
/// layers can sit in a graph that autograd differentiates (and <see cref="GradientCheck"/> can check
/// them against finite differences of the hand-written forward passes).
/// </summary>
internal static class HandWrittenAutograd
{
    private const string GeometryKey = "geometry";
    private const string BiasKey = "bias";

    // backward returns one entry per forward argument; the geometry (not a tensor) gets none.
    private static readonly Tensor NoGradient = null!;

    /// <summary>The convolution through <see cref="Conv2dFromScratch"/> in both directions.</summary>
    internal sealed class Conv2dFunction : SingleTensorFunction<Conv2dFunction>
    {
        /// <inheritdoc />
        public override string Name => nameof(Conv2dFromScratch);

        /// <summary>Arguments: input, weight, then the bias if there is one, then the <see cref="Conv2dGeometry"/>.</summary>
        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var (input, weight, geometry) = ((Tensor)vars[0], (Tensor)vars[1], (Conv2dGeometry)vars[^1]);
            var bias = vars.Length == 4 ? (Tensor)vars[2] : null;
            ctx.save_for_backward([input, weight]);
            ctx.save_data(GeometryKey, geometry);
            ctx.save_data(BiasKey, bias is not null);
            return Conv2dFromScratch.Forward(input, weight, bias, geometry);
        }

        /// <summary>∂L/∂input, ∂L/∂weight, with a bias ∂L/∂bias, and nothing for the geometry.</summary>
        public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
        {
            var saved = ctx.get_saved_variables();
            var withBias = (bool)ctx.get_data(BiasKey);
            var gradients = Conv2dFromScratch.Backward(grad_output, saved[0], saved[1], withBias, (Conv2dGeometry)ctx.get_data(GeometryKey));
            return withBias ? [gradients.Input, gradients.Weight, gradients.Bias!, NoGradient] : [gradients.Input, gradients.Weight, NoGradient];
        }
    }

    /// <summary>Max pooling through <see cref="Pool2dFromScratch"/> in both directions.</summary>
    internal sealed class MaxPoolFunction : SingleTensorFunction<MaxPoolFunction>
    {
        /// <inheritdoc />
        public override string Name => "MaxPool2dFromScratch";

        /// <summary>Arguments: input, then the <see cref="Pool2dGeometry"/>.</summary>
        public override Tensor forward(AutogradContext ctx, params object[] vars) => SavePool(ctx, vars, Pool2dFromScratch.MaxForward);

        /// <summary>∂L/∂input, and nothing for the geometry.</summary>
        public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output) => [Pool2dFromScratch.MaxBackward(grad_output, ctx.get_saved_variables()[0], (Pool2dGeometry)ctx.get_data(GeometryKey)), NoGradient];
    }

    /// <summary>Average pooling through <see cref="Pool2dFromScratch"/> in both directions.</summary>
    internal sealed class AvgPoolFunction : SingleTensorFunction<AvgPoolFunction>
    {
        /// <inheritdoc />
        public override string Name => "AvgPool2dFromScratch";

        /// <summary>Arguments: input, then the <see cref="Pool2dGeometry"/>.</summary>
        public override Tensor forward(AutogradContext ctx, params object[] vars) => SavePool(ctx, vars, Pool2dFromScratch.AvgForward);

        /// <summary>∂L/∂input, and nothing for the geometry.</summary>
        public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output) => [Pool2dFromScratch.AvgBackward(grad_output, ctx.get_saved_variables()[0], (Pool2dGeometry)ctx.get_data(GeometryKey)), NoGradient];
    }

    private static Tensor SavePool(AutogradContext ctx, object[] vars, Func<Tensor, Pool2dGeometry, Tensor> forward)
    {
        var (input, geometry) = ((Tensor)vars[0], (Pool2dGeometry)vars[1]);
        ctx.save_for_backward([input]);
        ctx.save_data(GeometryKey, geometry);
        return forward(input, geometry);
    }
}

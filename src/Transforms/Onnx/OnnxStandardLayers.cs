using System.Diagnostics.CodeAnalysis;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepLearning.Transforms.Onnx;

/// <summary>ONNX (opset 9+; 12 for the convolution layers) emission of the standard TorchSharp layers, in inference mode.</summary>
internal static class OnnxStandardLayers
{
    /// <summary>Emits <paramref name="module"/> if it is a standard layer.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="module">The layer.</param>
    /// <param name="input">Its input variable.</param>
    /// <param name="path">Its path, used for names and messages.</param>
    /// <param name="inputShape">Traces (on first call) and returns the shape of its input, null when not known; for layers whose form depends on it.</param>
    /// <param name="output">Its output variable (the input itself for identity layers).</param>
    /// <returns>Whether the module is a layer this class knows.</returns>
    public static bool TryEmit(IOnnxGraphBuilder builder, torch.nn.Module module, string input, string path, Func<IReadOnlyList<long>?> inputShape, [NotNullWhen(true)] out string? output)
    {
        output = module switch
        {
            Linear linear => Gemm(builder, linear, input, path),
            ReLU => builder.AddOp("Relu", [input], path),
            LeakyReLU leaky => builder.AddOp("LeakyRelu", [input], path, OnnxAttribute.Float("alpha", (float)leaky.negative_slope)),
            Tanh => builder.AddOp("Tanh", [input], path),
            Sigmoid => builder.AddOp("Sigmoid", [input], path),
            ReLU6 => Clip(builder, input, path, 0, 6),
            SiLU => builder.AddOp("Mul", [input, builder.AddOp("Sigmoid", [input], $"{path}.sigmoid")], path),

            // PyTorch's hardsigmoid is relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1); opset 12 has no HardSwish.
            Hardsigmoid => HardSigmoid(builder, input, path),
            Hardswish => builder.AddOp("Mul", [input, HardSigmoid(builder, input, $"{path}.gate")], path),
            GELU gelu => Gelu(builder, gelu, input, path),
            BatchNorm norm => BatchNormalization(builder, norm, input, path),
            Flatten flatten => FlattenFrom1(builder, flatten, input, path),

            // Dropout is the identity at inference.
            Dropout or Identity => input,
            _ => OnnxConvolutionLayers.TryEmit(builder, module, input, path, inputShape),
        };
        return output is not null;
    }

    // Opset 11 moved Clip's bounds from attributes to inputs.
    private static string Clip(IOnnxGraphBuilder builder, string input, string path, float min, float max)
        => builder.AddOp("Clip", [input, builder.AddScalar($"{path}.min", min), builder.AddScalar($"{path}.max", max)], path);

    private static string HardSigmoid(IOnnxGraphBuilder builder, string input, string path)
        => builder.AddOp("HardSigmoid", [input], path, OnnxAttribute.Float("alpha", 1f / 6), OnnxAttribute.Float("beta", 0.5f));

    private static string Gemm(IOnnxGraphBuilder builder, Linear linear, string input, string path)
    {
        var weight = builder.AddInitializer($"{path}.weight", linear.weight!);
        string[] inputs = linear.bias is { } bias ? [input, weight, builder.AddInitializer($"{path}.bias", bias)] : [input, weight];
        return builder.AddOp("Gemm", inputs, path, OnnxAttribute.Int("transB", 1));
    }

    // Opset 12 has no Gelu: exact GELU is 0.5·x·(1 + erf(x/√2)); the tanh form is
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    private static string Gelu(IOnnxGraphBuilder builder, GELU gelu, string input, string path)
    {
        string inner;
        if (gelu.approximate == GELU.Approximate.tanh)
        {
            var cube = builder.AddOp("Mul", [input, builder.AddOp("Mul", [input, input], $"{path}.x2")], $"{path}.x3");
            var cubic = builder.AddOp("Add", [input, builder.AddOp("Mul", [cube, builder.AddScalar($"{path}.c", 0.044715f)], $"{path}.cx3")], $"{path}.poly");
            inner = builder.AddOp("Tanh", [builder.AddOp("Mul", [cubic, builder.AddScalar($"{path}.k", MathF.Sqrt(2f / MathF.PI))], $"{path}.scaled")], $"{path}.tanh");
        }
        else
        {
            inner = builder.AddOp("Erf", [builder.AddOp("Div", [input, builder.AddScalar($"{path}.sqrt2", MathF.Sqrt(2f))], $"{path}.scaled")], $"{path}.erf");
        }

        var onePlus = builder.AddOp("Add", [inner, builder.AddScalar($"{path}.one", 1f)], $"{path}.one_plus");
        var half = builder.AddOp("Mul", [input, builder.AddScalar($"{path}.half", 0.5f)], $"{path}.half_x");
        return builder.AddOp("Mul", [half, onePlus], path);
    }

    private static string BatchNormalization(IOnnxGraphBuilder builder, BatchNorm norm, string input, string path)
    {
        if (norm.running_mean is not { } mean || norm.running_var is not { } variance)
        {
            throw new NotSupportedException($"Batch norm '{path}' does not track running statistics, so its inference output depends on the batch; it cannot be exported to ONNX.");
        }

        var features = norm.num_features;
        var scale = norm.weight is { } weight ? builder.AddInitializer($"{path}.weight", weight) : builder.AddInitializer($"{path}.weight", Enumerable.Repeat(1f, (int)features).ToArray(), [features]);
        var shift = norm.bias is { } bias ? builder.AddInitializer($"{path}.bias", bias) : builder.AddInitializer($"{path}.bias", new float[features], [features]);
        string[] inputs = [input, scale, shift, builder.AddInitializer($"{path}.running_mean", mean), builder.AddInitializer($"{path}.running_var", variance)];
        return builder.AddOp("BatchNormalization", inputs, path, OnnxAttribute.Float("epsilon", (float)norm.eps));
    }

    private static string FlattenFrom1(IOnnxGraphBuilder builder, Flatten flatten, string input, string path)
        => flatten is { start_dim: 1, end_dim: -1 }
            ? builder.AddOp("Flatten", [input], path, OnnxAttribute.Int("axis", 1))
            : throw new NotSupportedException($"Flatten '{path}' flattens dimensions {flatten.start_dim}..{flatten.end_dim}; only start_dim = 1, end_dim = -1 exports to ONNX.");
}

using static TorchSharp.torch;

namespace DeepLearning.Transforms.Onnx;

/// <summary>Conveniences over <see cref="IOnnxGraphBuilder"/>: one-output nodes and tensors as initializers.</summary>
public static class OnnxGraphBuilderExtensions
{
    /// <summary>Adds a node with one fresh output and returns that output's name.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">Names of its inputs.</param>
    /// <param name="outputPrefix">Readable start of the output's name.</param>
    /// <param name="attributes">Its attributes.</param>
    public static string AddOp(this IOnnxGraphBuilder builder, string opType, IReadOnlyList<string> inputs, string outputPrefix, params OnnxAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var output = builder.NewName(outputPrefix);
        builder.AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a TorchSharp tensor (any device, converted to float32) as a constant.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="prefix">Readable start of its name, e.g. <c>layers.fc1.weight</c>.</param>
    /// <param name="tensor">The tensor; its shape is kept.</param>
    /// <returns>The initializer's variable name.</returns>
    public static string AddInitializer(this IOnnxGraphBuilder builder, string prefix, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();
        var values = tensor.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        return builder.AddInitializer(prefix, values, tensor.shape);
    }

    /// <summary>Adds a float scalar constant.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="prefix">Readable start of its name.</param>
    /// <param name="value">The value.</param>
    public static string AddScalar(this IOnnxGraphBuilder builder, string prefix, float value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddInitializer(prefix, [value], []);
    }
}

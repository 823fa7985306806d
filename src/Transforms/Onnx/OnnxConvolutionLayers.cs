using TorchSharp;
using TorchSharp.Modules;

namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// ONNX (opset 12) emission of the 2-d convolution and pooling layers, in inference mode.
/// ONNX's <c>pads</c> lists the begin of every spatial axis, then the end: [top, left, bottom, right].
/// Pooling in ceil mode is exported as such: ONNX Runtime, like PyTorch, drops a last window that would
/// start in the end padding and divides a clipped average window by its size within the padded input
/// (checked in the tests).
/// </summary>
internal static class OnnxConvolutionLayers
{
    /// <summary>Emits <paramref name="module"/> if it is a convolution or pooling layer.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="module">The layer.</param>
    /// <param name="input">Its input variable.</param>
    /// <param name="path">Its path, used for names and messages.</param>
    /// <param name="inputShape">Traces (on first call) and returns its input shape [N, C, H, W], null when not known.</param>
    /// <returns>Its output variable, or null when the module is none of these layers.</returns>
    public static string? TryEmit(IOnnxGraphBuilder builder, torch.nn.Module module, string input, string path, Func<IReadOnlyList<long>?> inputShape) => module switch
    {
        Conv2d conv => Conv(builder, conv, input, path),
        MaxPool2d pool => MaxPool(builder, pool, input, path),
        AvgPool2d pool => AveragePool(builder, pool, input, path),
        AdaptiveAvgPool2d pool => OnnxAdaptivePooling.Emit(builder, pool, input, path, inputShape),
        _ => null,
    };

    private static string Conv(IOnnxGraphBuilder builder, Conv2d conv, string input, string path)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"Conv2d '{path}' pads with {conv.padding_mode}; only zero padding exports to ONNX.");
        }

        var kernel = conv.kernel_size;
        var dilation = conv.dilation;
        var weight = builder.AddInitializer($"{path}.weight", conv.weight!);
        string[] inputs = conv.bias is { } bias ? [input, weight, builder.AddInitializer($"{path}.bias", bias)] : [input, weight];
        return builder.AddOp(
            "Conv",
            inputs,
            path,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Ints("pads", ConvPads(conv, kernel, dilation)),
            OnnxAttribute.Int("group", conv.groups));
    }

    private static long[] ConvPads(Conv2d conv, long[] kernel, long[] dilation) => conv.padding_type switch
    {
        Padding.Valid => [0, 0, 0, 0],
        Padding.Same => SamePads(kernel, dilation),
        _ => Symmetric(conv.padding),
    };

    // padding='same' pads dilation·(kernel − 1) in all per axis; PyTorch puts the odd extra element at the end.
    private static long[] SamePads(long[] kernel, long[] dilation)
    {
        var (height, width) = (dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1));
        return [height / 2, width / 2, height - (height / 2), width - (width / 2)];
    }

    /// <summary>Emits a 2-d max pool (for modules and for functional <c>max_pool2d</c> calls alike).</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="input">Its input variable.</param>
    /// <param name="path">Its path, used for names.</param>
    /// <param name="kernel">Kernel size [height, width].</param>
    /// <param name="stride">Stride [height, width].</param>
    /// <param name="padding">PyTorch padding: null, one value or [height, width].</param>
    /// <param name="dilation">Dilation [height, width].</param>
    /// <param name="ceilMode">Whether the output size rounds up.</param>
    /// <returns>Its output variable.</returns>
    public static string MaxPool(IOnnxGraphBuilder builder, string input, string path, long[] kernel, long[] stride, long[]? padding, long[] dilation, bool ceilMode)
        => builder.AddOp(
            "MaxPool",
            [input],
            path,
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("pads", Symmetric(padding)),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Int("ceil_mode", ceilMode ? 1 : 0));

    private static string MaxPool(IOnnxGraphBuilder builder, MaxPool2d pool, string input, string path)
        => MaxPool(builder, input, path, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding, pool.dilation ?? [1, 1], pool.ceil_mode);

    private static string AveragePool(IOnnxGraphBuilder builder, AvgPool2d pool, string input, string path)
    {
        if (pool.divisor_override is not null)
        {
            throw new NotSupportedException($"AvgPool2d '{path}' overrides its divisor; ONNX AveragePool has no such attribute.");
        }

        return builder.AddOp(
            "AveragePool",
            [input],
            path,
            OnnxAttribute.Ints("kernel_shape", pool.kernel_size),
            OnnxAttribute.Ints("strides", pool.stride ?? pool.kernel_size),
            OnnxAttribute.Ints("pads", Symmetric(pool.padding)),
            OnnxAttribute.Int("count_include_pad", pool.count_include_pad ? 1 : 0),
            OnnxAttribute.Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private static long[] Symmetric(long[]? padding) => padding switch
    {
        null or [] => [0, 0, 0, 0],
        [var both] => [both, both, both, both],
        [var height, var width] => [height, width, height, width],
        _ => throw new NotSupportedException($"Padding [{string.Join(", ", padding)}] is not a 2-d padding."),
    };
}

using TorchSharp.Modules;

namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// ONNX (opset 12) emission of <c>AdaptiveAvgPool2d</c>. ONNX has no adaptive pooling: to 1x1 it is
/// <c>GlobalAveragePool</c>; otherwise the traced input size fixes the windows. When the input size is
/// a multiple of the output size the windows are equal and tile the input (<c>AveragePool</c>);
/// otherwise PyTorch's window i along an axis of n pixels pooled to m is [⌊i·n/m⌋, ⌈(i+1)·n/m⌉),
/// emitted as one <c>Slice</c> + <c>ReduceMean</c> per output row, then per output column (averaging a
/// rectangle is averaging its row means), joined by <c>Concat</c>.
/// </summary>
internal static class OnnxAdaptivePooling
{
    /// <summary>Emits <paramref name="pool"/>.</summary>
    /// <param name="builder">The graph.</param>
    /// <param name="pool">The layer.</param>
    /// <param name="input">Its input variable.</param>
    /// <param name="path">Its path, used for names and messages.</param>
    /// <param name="inputShape">Traces (on first call) and returns its input shape [N, C, H, W], null when not known; called only when the output is not 1x1.</param>
    /// <returns>Its output variable.</returns>
    /// <exception cref="NotSupportedException">The output is not 1x1 and the input size is not known.</exception>
    public static string Emit(IOnnxGraphBuilder builder, AdaptiveAvgPool2d pool, string input, string path, Func<IReadOnlyList<long>?> inputShape)
    {
        var size = pool.output_size;
        if (size.All(s => s == 1))
        {
            return builder.AddOp("GlobalAveragePool", [input], path);
        }

        if (inputShape() is not { Count: 4 } shape)
        {
            throw new NotSupportedException($"AdaptiveAvgPool2d '{path}' pools to {string.Join('x', size)} and its input size is not known here, so only pooling to 1x1 (GlobalAveragePool) exports. Export the whole network (ExportToOnnx or ml.Model.ConvertToOnnx), which traces the input sizes.");
        }

        var (height, width) = (shape[2], shape[3]);
        var (outHeight, outWidth) = (size[0] > 0 ? size[0] : height, size[^1] > 0 ? size[^1] : width);
        if (height % outHeight == 0 && width % outWidth == 0)
        {
            long[] window = [height / outHeight, width / outWidth];
            return builder.AddOp("AveragePool", [input], path, OnnxAttribute.Ints("kernel_shape", window), OnnxAttribute.Ints("strides", window));
        }

        var rows = AxisMeans(builder, input, 2, height, outHeight, $"{path}.rows");
        return AxisMeans(builder, rows, 3, width, outWidth, path);
    }

    // The means of the m adaptive windows along one axis of n pixels, concatenated along that axis.
    private static string AxisMeans(IOnnxGraphBuilder builder, string input, long axis, long n, long m, string path)
    {
        if (n == m)
        {
            return input;
        }

        var axes = builder.AddInitializer($"{path}.axes", [axis], [1]);
        var means = new string[m];
        for (var i = 0L; i < m; i++)
        {
            var start = builder.AddInitializer($"{path}.start", [i * n / m], [1]);
            var end = builder.AddInitializer($"{path}.end", [(((i + 1) * n) + m - 1) / m], [1]);
            var window = builder.AddOp("Slice", [input, start, end, axes], $"{path}.window");
            means[i] = builder.AddOp("ReduceMean", [window], $"{path}.mean", OnnxAttribute.Ints("axes", [axis]), OnnxAttribute.Int("keepdims", 1));
        }

        return builder.AddOp("Concat", means, path, OnnxAttribute.Int("axis", axis));
    }
}

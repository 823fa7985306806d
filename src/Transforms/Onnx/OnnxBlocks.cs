namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// ONNX emission of the functional steps of the architecture zoo's custom forwards (activations,
/// residual additions, concatenations, pooling and flattening between backbone and head, option-A
/// shortcuts), in one place so that every family emits them alike. Names start with the given path.
/// </summary>
internal static class OnnxBlocks
{
    /// <summary>max(0, x).</summary>
    public static string Relu(IOnnxGraphBuilder builder, string input, string path) => builder.AddOp("Relu", [input], path);

    /// <summary>The element-wise sum of two equally shaped tensors (a residual connection).</summary>
    public static string Add(IOnnxGraphBuilder builder, string left, string right, string path) => builder.AddOp("Add", [left, right], path);

    /// <summary>relu(left + right): the end of a ResNet block.</summary>
    public static string AddRelu(IOnnxGraphBuilder builder, string left, string right, string path)
        => Relu(builder, Add(builder, left, right, $"{path}.add"), $"{path}.relu_out");

    /// <summary>Concatenation along the channel axis.</summary>
    public static string ConcatChannels(IOnnxGraphBuilder builder, IReadOnlyList<string> inputs, string path)
        => builder.AddOp("Concat", inputs, path, OnnxAttribute.Int("axis", 1));

    /// <summary><c>x.flatten(1)</c>: [N, ...] to [N, product of the rest].</summary>
    public static string Flatten(IOnnxGraphBuilder builder, string input, string path)
        => builder.AddOp("Flatten", [input], path, OnnxAttribute.Int("axis", 1));

    /// <summary><c>adaptive_avg_pool2d(x, 1).flatten(1)</c>: [N, C, H, W] to [N, C].</summary>
    public static string GlobalAveragePoolFlatten(IOnnxGraphBuilder builder, string input, string path)
        => Flatten(builder, builder.AddOp("GlobalAveragePool", [input], $"{path}.avgpool"), $"{path}.flatten");

    /// <summary>Functional <c>max_pool2d(x, kernel, stride, ceil_mode)</c> with square kernel and stride and no padding.</summary>
    public static string MaxPool(IOnnxGraphBuilder builder, string input, string path, long kernel, long stride, bool ceilMode)
        => OnnxConvolutionLayers.MaxPool(builder, input, path, [kernel, kernel], [stride, stride], null, [1, 1], ceilMode);

    /// <summary>
    /// The option-A shortcut of CIFAR ResNets: every <paramref name="stride"/>-th pixel (a strided
    /// Slice), then <paramref name="padChannels"/> zero channels, half before and the rest after (Pad).
    /// </summary>
    public static string SubsampleAndPadChannels(IOnnxGraphBuilder builder, string input, string path, long stride, long padChannels)
    {
        var x = input;
        if (stride != 1)
        {
            string[] slice =
            [
                input,
                builder.AddInitializer($"{path}.starts", [0L, 0L], [2]),
                builder.AddInitializer($"{path}.ends", [long.MaxValue, long.MaxValue], [2]),
                builder.AddInitializer($"{path}.axes", [2L, 3L], [2]),
                builder.AddInitializer($"{path}.steps", [stride, stride], [2]),
            ];
            x = builder.AddOp("Slice", slice, $"{path}.subsample");
        }

        if (padChannels != 0)
        {
            // ONNX pads list the begin of every axis (N, C, H, W), then the end.
            var before = padChannels / 2;
            var pads = builder.AddInitializer($"{path}.pads", [0L, before, 0L, 0L, 0L, padChannels - before, 0L, 0L], [8]);
            x = builder.AddOp("Pad", [x, pads], $"{path}.pad", OnnxAttribute.String("mode", "constant"));
        }

        return x;
    }
}

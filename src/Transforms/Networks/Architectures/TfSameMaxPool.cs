using DeepLearning.Transforms.Onnx;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// A 2×2 max pool with TensorFlow's 'same' padding: the output side is ⌈input / stride⌉ and the
/// missing rows and columns are added at the bottom and right only, where they never win (−∞).
/// ONNX: <c>MaxPool</c> with <c>auto_pad = SAME_UPPER</c>, the same rule.
/// </summary>
/// <param name="stride">1 or 2.</param>
internal sealed class TfSameMaxPool(long stride) : nn.Module<Tensor, Tensor>(nameof(TfSameMaxPool)), IOnnxExportable
{
    private const long Kernel = 2;

    public override Tensor forward(Tensor input)
    {
        var padHeight = Padding(input.shape[^2]);
        var padWidth = Padding(input.shape[^1]);
        if (padHeight == 0 && padWidth == 0)
        {
            return nn.functional.max_pool2d(input, Kernel, stride);
        }

        using var padded = nn.functional.pad(input, [0, padWidth, 0, padHeight], TorchSharp.PaddingModes.Constant, double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, Kernel, stride);
    }

    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        => exporter.Builder.AddOp(
            "MaxPool",
            [input],
            path,
            OnnxAttribute.Ints("kernel_shape", [Kernel, Kernel]),
            OnnxAttribute.Ints("strides", [stride, stride]),
            OnnxAttribute.String("auto_pad", "SAME_UPPER"));

    // TensorFlow: total padding max((⌈n / s⌉ − 1)·s + k − n, 0), all of it after (k = 2 leaves no odd half for "before").
    private long Padding(long size)
    {
        var output = (size + stride - 1) / stride;
        return Math.Max(((output - 1) * stride) + Kernel - size, 0);
    }
}

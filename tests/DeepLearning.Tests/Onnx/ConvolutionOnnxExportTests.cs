using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Xunit.Abstractions;
using static DeepLearning.Tests.Onnx.OnnxScoring;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Onnx;

/// <summary>Convolution, pooling, batch-norm and mobile activation layers exported (alone and in a pipeline) and run through ONNX Runtime.</summary>
public sealed class ConvolutionOnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const int Classes = 10;

    [Fact]
    public void GrayscaleConvNetworkMatchesTorchSharp()
    {
        // Stride, padding, groups, depthwise, a non-square dilated kernel, ReLU6, both poolings and a global pool.
        var diff = ExportAndCompare([1, 28, 28], () => nn.Sequential(
            ("conv1", nn.Conv2d(1, 8, 3, padding: 1)),
            ("bn1", nn.BatchNorm2d(8)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(8, 8, 3, stride: 2, padding: 1, groups: 2, bias: false)),
            ("bn2", nn.BatchNorm2d(8, eps: 1e-3)),
            ("relu2", nn.ReLU6()),
            ("depthwise", nn.Conv2d(8, 8, (3, 1), padding: (2, 0), dilation: (2, 1), groups: 8)),
            ("pool2", nn.AvgPool2d(3, stride: 2, padding: 1)),
            ("gap", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(8, Classes))),
            ["Conv", "BatchNormalization", "Relu", "MaxPool", "Clip", "AveragePool", "GlobalAveragePool", "Flatten", "Gemm"]);
        output.WriteLine($"1x28x28 conv network: max |Δscore| {diff:E2}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Fact]
    public void ColourConvNetworkMatchesTorchSharp()
    {
        // Non-square stride and padding, a padded dilated max pool, a 1x1 conv, 'same' padding of an even kernel
        // (the extra row and column at the end), an average pool without padding, and the activations of
        // mobile networks (Hardswish, SiLU, Hardsigmoid).
        var diff = ExportAndCompare([3, 32, 32], () => nn.Sequential(
            ("conv1", nn.Conv2d(3, 6, (3, 5), stride: (2, 1), padding: (1, 2))),
            ("bn1", nn.BatchNorm2d(6)),
            ("relu1", nn.ReLU6()),
            ("pool1", nn.MaxPool2d(3, stride: 2, padding: 1, dilation: 2)),
            ("conv2", nn.Conv2d(6, 12, 1)),
            ("hardswish", nn.Hardswish()),
            ("same", nn.Conv2d(12, 12, 4, padding: Padding.Same)),
            ("silu", nn.SiLU()),
            ("pool2", nn.AvgPool2d(2)),
            ("hardsigmoid", nn.Hardsigmoid()),
            ("flatten", nn.Flatten()),
            ("drop", nn.Dropout(0.3)),
            ("fc", nn.Linear(12 * 3 * 7, Classes))),
            ["Conv", "BatchNormalization", "Clip", "MaxPool", "HardSigmoid", "Mul", "Sigmoid", "AveragePool", "Flatten", "Gemm"]);
        output.WriteLine($"3x32x32 conv network: max |Δscore| {diff:E2}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Theory]
    [InlineData("max", 5, 2, 2, 1, true)] // PyTorch drops the last window, which would start in the padding
    [InlineData("max", 6, 3, 2, 1, true)]
    [InlineData("max", 8, 3, 3, 1, true)]
    [InlineData("avg", 5, 2, 2, 1, true)]
    [InlineData("avg", 6, 3, 2, 1, true)] // the last window runs past the padding: divided by its clipped size
    [InlineData("avg", 6, 3, 2, 1, false)]
    [InlineData("avg", 8, 3, 3, 1, false)]
    public void CeilModePoolingMatchesTorchSharp(string kind, int size, int kernel, int stride, int padding, bool countIncludePad)
    {
        nn.Module<Tensor, Tensor> Pool() => kind == "max"
            ? nn.MaxPool2d(kernel, stride: stride, padding: padding, ceil_mode: true)
            : nn.AvgPool2d(kernel, stride: stride, padding: padding, ceil_mode: true, count_include_pad: countIncludePad);
        long pooled;
        using (var probe = Pool())
        using (var pooledImage = probe.call(zeros(1, 1, size, size)))
        {
            pooled = pooledImage.shape[2];
        }

        var diff = ExportAndCompare([1, size, size], () => nn.Sequential(("pool", Pool()), ("flatten", nn.Flatten()), ("fc", nn.Linear(pooled * pooled, Classes))), []);
        output.WriteLine($"ceil-mode {kind} pool {size}x{size}, kernel {kernel}, stride {stride}, padding {padding}, count_include_pad {countIncludePad}: {pooled}x{pooled}, max |Δscore| {diff:E2}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Theory]
    [InlineData("uneven windows")]
    [InlineData("upsampling")]
    [InlineData("even windows")]
    public void AdaptiveAveragePoolingBeyondOneByOneMatchesTorchSharp(string name)
    {
        var (shape, factory, ops) = name switch
        {
            // 26 rows to 3: windows [0, 9), [8, 18), [17, 26) overlap.
            "uneven windows" => (new long[] { 1, 28, 28 }, (Func<nn.Module<Tensor, Tensor>>)(() => nn.Sequential(
                ("conv", nn.Conv2d(1, 4, 3)),
                ("pool", nn.AdaptiveAvgPool2d((3, 2))),
                ("flatten", nn.Flatten()),
                ("fc", nn.Linear(4 * 3 * 2, Classes)))), new[] { "Slice", "ReduceMean", "Concat" }),

            // torchvision VGG's 7x7 pool after a small input: 4x4 to 7x7 repeats pixels.
            "upsampling" => ([3, 32, 32], () => nn.Sequential(
                ("shrink", nn.MaxPool2d(8)),
                ("pool", nn.AdaptiveAvgPool2d(7)),
                ("flatten", nn.Flatten()),
                ("fc", nn.Linear(3 * 7 * 7, Classes))), ["Slice", "ReduceMean", "Concat"]),
            _ => ([3, 32, 32], () => nn.Sequential(
                ("pool", nn.AdaptiveAvgPool2d((4, 8))),
                ("flatten", nn.Flatten()),
                ("fc", nn.Linear(3 * 4 * 8, Classes))), ["AveragePool"]),
        };
        var diff = ExportAndCompare(shape, factory, ops);
        output.WriteLine($"adaptive average pooling, {name}: max |Δscore| {diff:E2}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Fact]
    public void AdaptivePoolingWithoutATracedInputSizeThrows()
    {
        using var pool = nn.AdaptiveAvgPool2d(2);
        var exporter = new OnnxNetworkExporter(new CountingGraphBuilder());
        var error = Assert.Throws<NotSupportedException>(() => exporter.Export(pool, "x", "head.pool"));
        Assert.Contains("'head.pool'", error.Message);
        Assert.Contains("input size is not known", error.Message);
        using var global = nn.AdaptiveAvgPool2d(1);
        Assert.StartsWith("head.global", exporter.Export(global, "x", "head.global"));
    }

    [Fact]
    public void ANetworkThatCannotRunOnItsInputShapeFailsTheTraceClearly()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = Transformer([1, 8, 8], () => nn.Sequential(
            ("pool", nn.AdaptiveAvgPool2d(3)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(5, Classes))));
        var error = Assert.Throws<InvalidOperationException>(() => transformer.ExportToOnnx(ml, Stream.Null));
        Assert.Contains("zero input of shape [1, 1, 8, 8]", error.Message);
    }

    [Fact]
    public void PoolingThatOnnxCannotExpressThrowsNamingTheLayer()
    {
        var ml = new MLContext(seed: 1);
        long[] shape = [1, 8, 8];
        foreach (var (name, layer, words) in new (string, Func<nn.Module<Tensor, Tensor>>, string)[]
        {
            ("divisor", () => nn.AvgPool2d(2, divisor_override: 3), "divisor"),
            ("reflect", () => nn.Conv2d(1, 1, 3, padding: 1, padding_mode: PaddingModes.Reflect), "Reflect"),
        })
        {
            // The export fails at the first layer, before the shapes of the later ones matter.
            using var transformer = Transformer(shape, () => nn.Sequential((name, layer()), ("flatten", nn.Flatten()), ("fc", nn.Linear(1, Classes))));
            var error = Assert.Throws<NotSupportedException>(() => transformer.ExportToOnnx(ml, Stream.Null));
            Assert.Contains($"'{name}'", error.Message);
            Assert.Contains(words, error.Message);
        }
    }

    private double ExportAndCompare(long[] shape, Func<nn.Module<Tensor, Tensor>> factory, string[] expectedOps)
    {
        var ml = new MLContext(seed: 1);
        random.manual_seed(3);
        using var transformer = Transformer(shape, () => WithRunningStatistics(factory(), shape));
        var data = Images(ml, shape, rows: 5);

        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var onnx = stream.ToArray();
        Assert.Equal(expectedOps, new OnnxModelInspector(onnx).OpTypes.Where(expectedOps.Contains).Distinct());
        var expected = Column<float>(transformer.Transform(data), "Score");
        var actual = (float[])ThroughOnnxRuntime(onnx, data)["Score.output"];

        // Softmax scores that all sit near 1/classes would hide differences in the logits.
        Assert.True(expected.Max() > 0.2f, $"scores are too flat to test anything: max {expected.Max()}");

        // In a pipeline (ml.Model.ConvertToOnnx) the flat features column is reshaped to [N, C, H, W] first.
        var pipeline = Convert(ml, transformer, data);
        Assert.Contains("Reshape", new OnnxModelInspector(pipeline).OpTypes);
        var throughPipeline = (float[])ThroughOnnxRuntime(pipeline, data)["Score.output"];
        return Math.Max(MaxAbsDiff(expected, actual), MaxAbsDiff(expected, throughPipeline));
    }

    // Batch norm running statistics far from their initial 0 and 1, so using them (or not) shows.
    private static nn.Module<Tensor, Tensor> WithRunningStatistics(nn.Module<Tensor, Tensor> network, long[] shape)
    {
        using (NewDisposeScope())
        {
            network.train();
            for (var i = 0; i < 3; i++)
            {
                network.forward((randn([4, .. shape]) * 3) + 2);
            }
        }

        // Larger logits, so the softmax scores are far from uniform and show differences in them.
        using (no_grad())
        {
            foreach (var linear in network.modules().OfType<TorchSharp.Modules.Linear>())
            {
                linear.weight!.mul_(20);
            }
        }

        network.eval();
        return network;
    }

    // Flat [C·H·W] feature vectors, as a pipeline usually carries them.
    private static IDataView Images(MLContext ml, long[] shape, int rows)
    {
        var random = new Random(7);
        var length = (int)shape.Aggregate(1L, (a, b) => a * b);
        var images = Enumerable.Range(0, rows)
            .Select(_ => new ImageRow { Features = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4) - 1)] })
            .ToList();
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(images, schema);
    }

    private static NetworkPredictionTransformer Transformer(long[] shape, Func<nn.Module<Tensor, Tensor>> factory)
    {
        var spec = new TestNetworkSpec { Shape = shape, Factory = factory, OutputSize = Classes };
        var input = new VectorInput { ColumnName = "Features", Dimensions = shape };
        return new NetworkPredictionTransformer(new NetworkModel(input, spec, spec.Build(), new MulticlassClassificationHead { ClassCount = Classes }));
    }

    private sealed class CountingGraphBuilder : IOnnxGraphBuilder
    {
        private int count;

        public string NewName(string prefix) => $"{prefix}.{count++}";

        public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute>? attributes = null)
        {
        }

        public string AddInitializer(string prefix, float[] values, IReadOnlyList<long> shape) => NewName(prefix);

        public string AddInitializer(string prefix, long[] values, IReadOnlyList<long> shape) => NewName(prefix);
    }

    private sealed class ImageRow
    {
        public float[] Features { get; set; } = [];
    }
}

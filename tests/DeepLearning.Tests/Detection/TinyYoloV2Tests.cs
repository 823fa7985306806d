using DeepLearning.Tests.Onnx;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Onnx.OnnxScoring;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>The Tiny-YOLOv2 network, its TensorFlow-style pooling and resize, the TF.js key mapping, its grid decode and its ONNX export.</summary>
public sealed class TinyYoloV2Tests
{
    [Fact]
    public void ShapesAndKeysFollowFaceApi()
    {
        var spec = new TinyYoloV2Spec();
        Assert.Equal(13, spec.Grid);
        Assert.Equal(25 * 13 * 13, spec.OutputSize);
        using var network = spec.Build();
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 25, 13, 13], network.call(zeros(2, 3, 416, 416)).shape);

        // Every TF.js name of face-api's manifest maps onto exactly the network's keys.
        string[] tfjs = ["conv0/filters", "conv0/bias", .. Enumerable.Range(1, 5).SelectMany(i => new[] { $"conv{i}/depthwise_filter", $"conv{i}/pointwise_filter", $"conv{i}/bias" }), "conv8/filters", "conv8/bias"];
        Assert.Equal(network.state_dict().Keys.Order(), tfjs.Select(TinyYoloV2.KeyFromTfjs).Order());
        Assert.Null(TinyYoloV2.KeyFromTfjs("conv0/depthwise_filter"));
        Assert.Null(TinyYoloV2.KeyFromTfjs("fc/weights"));
        Assert.Equal([32L, 1, 3, 3], TinyYoloV2.ConvertTfjs("conv2.depthwise.weight", zeros(3, 3, 32, 1)).shape);
        Assert.Equal([64L, 32, 1, 1], TinyYoloV2.ConvertTfjs("conv2.pointwise.weight", zeros(1, 1, 32, 64)).shape);

        // The spec is saved by name and rebuilt with its options.
        var variant = new TinyYoloV2Spec { InputSize = 128, Widths = [8, 16, 32], AnchorCount = 3, ClassScores = 2 };
        var read = Assert.IsType<TinyYoloV2Spec>(NetworkSpec.FromJson(variant.ToJson()));
        // 128 − 2 = 126 → 63 → 32 after two stages.
        Assert.Equal((128, 3, 2, 3 * 7 * 32 * 32), (read.InputSize, read.AnchorCount, read.ClassScores, read.OutputSize));
        Assert.Equal(variant.Widths, read.Widths);

        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new TinyYoloV2Spec { InputSize = 400 }.Build());
        Assert.Contains("InputSize", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamePoolingPadsBottomAndRightWithMinusInfinity()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 }).view(1, 1, 3, 3);

        // Stride 2: windows {-1,-2,-4,-5}, {-3,-6}, {-7,-8}, {-9}: the padding (−∞) never wins, even over negatives.
        using var two = new TfSameMaxPool(2);
        Assert.Equal(new float[] { -1, -3, -7, -9 }, two.call(x).data<float>().ToArray());
        using var one = new TfSameMaxPool(1);
        Assert.Equal(new float[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 }, one.call(x).data<float>().ToArray());
    }

    [Fact]
    public void SquareResizeIsTensorFlowsLegacyBilinearOfTheZeroPaddedSquare()
    {
        using var scope = NewDisposeScope();
        const int Size = 7;
        var (height, width) = (3, 5);
        var image = arange(2 * height * width, ScalarType.Float32).view(1, 2, height, width).add(1);
        var actual = SquareResize.Apply(image, Size);

        // By hand: pad to 5×5 with zeros, sample at i · 5 / 7 between ⌊·⌋ and min(⌊·⌋ + 1, 4).
        var side = Math.Max(height, width);
        float Pixel(int c, int y, int x) => y < height && x < width ? image[0, c, y, x].item<float>() : 0;
        (int Low, int High, float Fraction) Source(int i)
        {
            var s = i * (double)side / Size;
            var low = (int)Math.Floor(s);
            return (low, Math.Min(low + 1, side - 1), (float)(s - low));
        }

        for (var c = 0; c < 2; c++)
        {
            for (var i = 0; i < Size; i++)
            {
                for (var j = 0; j < Size; j++)
                {
                    var (y0, y1, fy) = Source(i);
                    var (x0, x1, fx) = Source(j);
                    var top = Pixel(c, y0, x0) + ((Pixel(c, y0, x1) - Pixel(c, y0, x0)) * fx);
                    var bottom = Pixel(c, y1, x0) + ((Pixel(c, y1, x1) - Pixel(c, y1, x0)) * fx);
                    Assert.Equal(top + ((bottom - top) * fy), actual[0, c, i, j].item<float>(), 4);
                }
            }
        }
    }

    [Fact]
    public void DecodePlacesABoxInItsCellWithItsAnchor()
    {
        using var scope = NewDisposeScope();
        var output = full(new long[] { 1, 2 * 5, 4, 4 }, -10f);
        output[0, 5 + 0, 2, 1] = tensor(0f);   // anchor 1, row 2, col 1: σ(0) = 0.5 → centre (1.5, 2.5) / 4
        output[0, 5 + 1, 2, 1] = tensor(0f);
        output[0, 5 + 2, 2, 1] = tensor(MathF.Log(2));
        output[0, 5 + 3, 2, 1] = tensor(0f);
        output[0, 5 + 4, 2, 1] = tensor(3f);
        var (boxes, scores) = YoloGridDecoder.Decode(output, tensor(new float[] { 1, 1, 0.5f, 2 }).view(2, 2));
        var best = scores[0].argmax().item<long>();
        Assert.Equal(((2 * 4) + 1) * 2 + 1, best);
        Assert.Equal(1 / (1 + Math.Exp(-3)), scores[0, best].item<float>(), 5);
        Assert.Equal(new[] { (1.5f - 0.5f) / 4, (2.5f - 1) / 4, (1.5f + 0.5f) / 4, (2.5f + 1) / 4 }, boxes[0, best].data<float>().ToArray());
    }

    [Fact]
    public void OnnxExportMatchesTorchSharp()
    {
        var ml = new MLContext(seed: 1);
        random.manual_seed(5);
        var spec = new TinyYoloV2Spec { InputSize = 64 };
        long[] shape = [3, 64, 64];
        var outputs = spec.OutputSize;
        var test = new TestNetworkSpec { Shape = shape, Factory = () => nn.Sequential(WithBiases(spec.Build()), nn.Flatten()), OutputSize = outputs };
        var input = new VectorInput { ColumnName = "Features", Dimensions = shape };
        using var transformer = new NetworkPredictionTransformer(new NetworkModel(input, test, test.Build(), new EmbeddingHead { Dimension = outputs, Normalize = false }));
        var rand = new Random(2);
        var rows = Enumerable.Range(0, 2).Select(_ => new Row { Features = [.. Enumerable.Range(0, 3 * 64 * 64).Select(_ => (float)(rand.NextDouble() * 2) - 1)] }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * 64 * 64);
        var data = ml.Data.LoadFromEnumerable(rows, schema);

        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var onnx = stream.ToArray();
        Assert.Contains("MaxPool", new OnnxModelInspector(onnx).OpTypes);
        var expected = Column<float>(transformer.Transform(data), "Embedding");
        var actual = (float[])ThroughOnnxRuntime(onnx, data)["Embedding.output"];
        Assert.Equal(2 * outputs, actual.Length);
        Assert.True(expected.Select(MathF.Abs).Max() > 0.1f, "outputs too small to test anything");
        Assert.InRange(MaxAbsDiff(expected, actual), 0, 1e-4);
    }

    // Non-zero biases, so the outputs are far from zero and every bias is exported.
    private static nn.Module<Tensor, Tensor> WithBiases(nn.Module<Tensor, Tensor> network)
    {
        using (no_grad())
        {
            foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.EndsWith("bias", StringComparison.Ordinal)))
            {
                parameter.uniform_(-0.5, 0.5);
            }
        }

        return network;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }
}

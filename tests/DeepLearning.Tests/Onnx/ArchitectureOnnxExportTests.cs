using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static DeepLearning.Tests.Onnx.OnnxScoring;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Onnx;

/// <summary>
/// Every architecture family of the zoo exported to ONNX (its custom forward emitting itself) and run
/// through ONNX Runtime, with random weights and batch-norm statistics, against TorchSharp in eval mode.
/// </summary>
public sealed class ArchitectureOnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;
    private const int Classes = 10;
    private const int Rows = 4;

    public static TheoryData<string> Families =>
    [
        "resnet18 small input", "resnet18 imagenet stem", "resnet20 cifar option A", "resnet50 bottleneck",
        "mobilenetv2", "vgg11 bn", "vgg11 imagenet pool", "smallcnn", "lenet5", "lenet5 32x32", "alexnet",
        "googlenet", "googlenet with aux heads", "mobilenetv1", "tinydarknet",
    ];

    [Theory]
    [MemberData(nameof(Families))]
    public void ArchitectureMatchesTorchSharp(string family)
    {
        var (spec, ops, names) = Case(family);
        var ml = new MLContext(seed: 1);
        random.manual_seed(11);
        var shape = spec.InputShape.ToArray();
        var data = Images(ml, shape);
        var network = Randomised(spec.Build(), shape, data);
        var input = new VectorInput { ColumnName = "Features", Dimensions = shape };
        using var transformer = new NetworkPredictionTransformer(new NetworkModel(input, spec, network, new MulticlassClassificationHead { ClassCount = Classes }));

        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var onnx = stream.ToArray();
        var inspector = new OnnxModelInspector(onnx);
        Assert.Empty(ops.Except(inspector.OpTypes));
        foreach (var name in names)
        {
            Assert.Contains(inspector.NodeOutputs, o => o.StartsWith(name, StringComparison.Ordinal));
        }

        var expected = Column<float>(transformer.Transform(data), "Score");
        var actual = (float[])ThroughOnnxRuntime(onnx, data)["Score.output"];
        Assert.True(expected.Max() > 0.2f, $"scores are too flat to test anything: max {expected.Max()}");

        // In a pipeline (ml.Model.ConvertToOnnx) the flat features column is reshaped to [N, C, H, W] first.
        var throughPipeline = (float[])ThroughOnnxRuntime(Convert(ml, transformer, data), data)["Score.output"];
        var diff = Math.Max(MaxAbsDiff(expected, actual), MaxAbsDiff(expected, throughPipeline));

        // log softmax = logits − logsumexp: differences of log-scores are differences of the logits (up to a shift per row).
        var logDiff = MaxAbsDiff([.. expected.Select(p => MathF.Log(p))], [.. actual.Select(p => MathF.Log(p))]);
        output.WriteLine($"{family} {string.Join('x', shape)}: {inspector.OpTypes.Count} nodes, max |Δscore| {diff:E2}, max |Δlog score| {logDiff:E2}");
        Assert.InRange(diff, 0, Tolerance);
        Assert.InRange(logDiff, 0, Tolerance);
    }

    private static (ImageNetworkSpec Spec, string[] Ops, string[] Names) Case(string family) => family switch
    {
        "resnet18 small input" => (new ResNetSpec { SmallInput = true, InputChannels = 1, InputHeight = 28, InputWidth = 28, WidthMultiplier = 0.25, OutputSize = Classes },
            ["Conv", "BatchNormalization", "Relu", "Add", "GlobalAveragePool", "Flatten", "Gemm"], ["layer1.0.add", "layer2.0.downsample.0", "layer4.1.relu_out", "fc"]),
        "resnet18 imagenet stem" => (new ResNetSpec { InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.25, OutputSize = Classes },
            ["Conv", "MaxPool", "Add"], ["maxpool", "layer3.0.downsample.1"]),
        "resnet20 cifar option A" => (new ResNetSpec { Variant = ResNetVariant.ResNet20, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.5, OutputSize = Classes },
            ["Slice", "Pad", "Add"], ["layer2.0.shortcut.subsample", "layer3.0.shortcut.pad", "layer3.2.add"]),
        "resnet50 bottleneck" => (new ResNetSpec { Variant = ResNetVariant.ResNet50, SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.25, OutputSize = Classes },
            ["Conv", "Add"], ["layer1.0.conv3", "layer1.0.downsample.0", "layer4.2.relu_out"]),
        "mobilenetv2" => (new MobileNetV2Spec { SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.5, OutputSize = Classes },
            ["Conv", "Clip", "Add", "GlobalAveragePool"], ["features.0.0", "features.3.add", "features.18.2", "classifier.1"]),
        "vgg11 bn" => (new VggSpec { Variant = VggVariant.Vgg11, BatchNormalization = true, SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.25, OutputSize = Classes },
            ["Conv", "BatchNormalization", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm"], ["features.1", "classifier.6"]),
        "vgg11 imagenet pool" => (new VggSpec { Variant = VggVariant.Vgg11, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.125, OutputSize = Classes },
            ["Conv", "Slice", "ReduceMean", "Concat", "Flatten", "Gemm"], ["avgpool", "flatten"]),
        "smallcnn" => (new SmallCnnSpec { OutputSize = Classes }, ["Conv", "BatchNormalization", "MaxPool", "Flatten", "Gemm"], ["features.0.1", "flatten"]),
        "lenet5" => (new LeNet5Spec { SmallInput = true, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = Classes },
            ["Conv", "Tanh", "AveragePool", "Flatten", "Gemm"], ["features.2", "classifier.4"]),
        "lenet5 32x32" => (new LeNet5Spec { InputChannels = 1, InputHeight = 32, InputWidth = 32, OutputSize = Classes }, ["Conv", "AveragePool"], ["features.5"]),
        "alexnet" => (new AlexNetSpec { SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.125, OutputSize = Classes },
            ["Conv", "MaxPool", "Concat", "Flatten", "Gemm"], ["features.12", "avgpool", "classifier.6"]),
        "googlenet" => (new GoogLeNetSpec { SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.125, OutputSize = Classes },
            ["Conv", "BatchNormalization", "MaxPool", "Concat", "GlobalAveragePool"], ["inception3a.branch4.1.conv", "inception3b.concat", "inception4e.pool", "fc"]),
        "googlenet with aux heads" => (new GoogLeNetSpec { AuxiliaryHeads = true, InputHeight = 64, InputWidth = 64, WidthMultiplier = 0.125, OutputSize = Classes },
            ["MaxPool", "Concat"], ["maxpool1", "maxpool2", "inception5b.concat"]),
        "mobilenetv1" => (new MobileNetV1Spec { SmallInput = true, InputHeight = 32, InputWidth = 32, WidthMultiplier = 0.25, OutputSize = Classes },
            ["Conv", "BatchNormalization", "Relu", "GlobalAveragePool", "Gemm"], ["features.1.depthwise.0", "features.13.pointwise.2", "classifier"]),
        "tinydarknet" => (new TinyDarknetSpec { Widths = [8, 16, 32, 32], Downsamplings = 3, InputHeight = 32, InputWidth = 32, OutputSize = Classes },
            ["Conv", "BatchNormalization", "LeakyRelu", "MaxPool", "GlobalAveragePool", "Gemm"], ["features.0.1", "classifier"]),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    // Random batch-norm statistics and affine parameters, eval mode, and a head scaled so that the
    // softmax scores are far from uniform (a logit standard deviation of about 3).
    private static nn.Module<Tensor, Tensor> Randomised(nn.Module<Tensor, Tensor> network, long[] shape, IDataView data)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var norm in network.modules().OfType<BatchNorm2d>())
        {
            var features = norm.num_features;
            norm.running_mean!.copy_(randn(features) * 0.3);
            norm.running_var!.copy_((rand(features) * 1.5) + 0.5);
            norm.weight!.copy_((rand(features) * 0.5) + 0.75);
            norm.bias!.copy_(randn(features) * 0.2);
        }

        network.eval();
        var images = tensor(Column<float>(data, "Features")).reshape([Rows, .. shape]);
        var std = network.call(images).std().item<float>();
        var last = network.modules().OfType<Linear>().Last();
        last.weight!.mul_(3 / std);
        last.bias?.mul_(3 / std);
        return network;
    }

    // Flat [C·H·W] feature vectors, as a pipeline usually carries them.
    private static IDataView Images(MLContext ml, long[] shape)
    {
        var random = new Random(7);
        var length = (int)shape.Aggregate(1L, (a, b) => a * b);
        var images = Enumerable.Range(0, Rows)
            .Select(_ => new ImageRow { Features = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4) - 1)] })
            .ToList();
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(images, schema);
    }

    private sealed class ImageRow
    {
        public float[] Features { get; set; } = [];
    }
}

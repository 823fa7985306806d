using System.Security.Cryptography;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Weights;

/// <summary>
/// Weight files written by PyTorch (when python3-torch is installed) or by PyBridge's writers load
/// into our networks by name and reproduce the source network's outputs; mismatches are reported or
/// refused; damaged, foreign and tampered files are named.
/// </summary>
public sealed class PretrainedWeightsTests : TempDirectoryTest
{

    [Theory]
    [InlineData(".pth")]
    [InlineData(".safetensors")]
    public void AStateDictLoadsByNameAndGivesTheSourceOutputs(string extension)
    {
        using var scope = NewDisposeScope();
        var (source, target) = (Network(seed: 1), Network(seed: 2));
        var path = Save(source, "small-cnn" + extension);
        var input = rand(4, 1, 28, 28);
        Assert.False(Forward(source, input).allclose(Forward(target, input)));

        var report = PretrainedWeights.Load(target, path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(source.state_dict().Count, report.Loaded.Count);
        Assert.True(Same(Forward(source, input), Forward(target, input)));
        Assert.All(target.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void AStateDictWrittenByPyTorchLoads()
    {
        // PyTorch writes random tensors under our keys and shapes plus their raw float32 values; the
        // C# reader must give exactly those values. Without python3-torch, PyBridge's writer stands in.
        using var scope = NewDisposeScope();
        var network = Network(seed: 1);
        var shapes = network.state_dict().Where(p => p.Value.dtype == ScalarType.Float32).ToDictionary(p => p.Key, p => p.Value.shape);
        var path = Path.Combine(Dir, "written-by-pytorch.pth");
        var raw = Path.Combine(Dir, "values.f32");
        if (!WriteWithPyTorch(shapes, path, raw))
        {
            var tensors = shapes.ToDictionary(s => s.Key, s => randn(s.Value));
            PyTorchPickler.PickleStateDict(path, new System.Collections.Hashtable(tensors));
            File.WriteAllBytes(raw, [.. tensors.Values.SelectMany(t => t.bytes.ToArray())]);
        }

        var read = PretrainedWeights.Read(path);
        var expected = new ReadOnlySpan<byte>(File.ReadAllBytes(raw));
        var offset = 0;
        foreach (var key in shapes.Keys)
        {
            var bytes = read[key].contiguous().bytes.ToArray();
            Assert.True(expected.Slice(offset, bytes.Length).SequenceEqual(bytes), key);
            offset += bytes.Length;
        }

        Assert.Equal(expected.Length, offset);
        var report = PretrainedWeights.Load(network, read, new WeightLoadOptions { Strict = false });
        Assert.Equal(shapes.Count, report.Loaded.Count);
    }

    [Fact]
    public void StrictLoadingRefusesMismatchesNamingThemAndCopiesNothing()
    {
        using var scope = NewDisposeScope();
        var tenClasses = Network(seed: 1);
        var threeClasses = new SmallCnnSpec { OutputSize = 3, WidthMultiplier = 0.25 }.Build();
        var before = threeClasses.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var path = Save(tenClasses, "ten.pth");

        var e = Assert.Throws<InvalidDataException>(() => PretrainedWeights.Load(threeClasses, path));
        Assert.Contains("classifier.3.weight: network [3, 32], weight [10, 32]", e.Message, StringComparison.Ordinal);
        Assert.Contains("Strict = false", e.Message, StringComparison.Ordinal);
        Assert.All(threeClasses.state_dict(), p => Assert.True(Same(p.Value, before[p.Key]), p.Key));

        // A new head: skip it, load the backbone.
        var report = PretrainedWeights.Load(threeClasses, path, new WeightLoadOptions { SkipPrefixes = ["classifier.3."] });
        Assert.Equal(["classifier.3.bias", "classifier.3.weight"], report.Skipped.Order(StringComparer.Ordinal));
        Assert.True(Same(threeClasses.state_dict()["features.0.0.weight"], tenClasses.state_dict()["features.0.0.weight"]));
        Assert.True(Same(threeClasses.state_dict()["classifier.3.weight"], before["classifier.3.weight"]));
    }

    [Fact]
    public void TheReadmeExampleLoadsAResNet18BackboneUnderANewHead()
    {
        using var scope = NewDisposeScope();
        using var imageNet = new ResNetSpec { Variant = ResNetVariant.ResNet18 }.Build();
        using var network = new ResNetSpec { Variant = ResNetVariant.ResNet18, OutputSize = 5 }.Build();
        var report = PretrainedWeights.Load(network, imageNet.state_dict(), new WeightLoadOptions { SkipPrefixes = ["fc."] });
        Assert.Equal("120 loaded, 0 missing, 0 unexpected, 0 with other shapes, 2 skipped", report.ToString());
    }

    [Fact]
    public void NonStrictLoadingReportsMissingUnexpectedAndMismatchedKeys()
    {
        using var scope = NewDisposeScope();
        var network = Network(seed: 1);
        var weights = network.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        weights.Remove("features.0.0.weight");
        weights["extra.weight"] = zeros(2);
        weights["classifier.0.bias"] = zeros(5);

        var report = PretrainedWeights.Load(Network(seed: 2), weights, new WeightLoadOptions { Strict = false });

        Assert.Equal(["features.0.0.weight"], report.Missing);
        Assert.Equal(["extra.weight"], report.Unexpected);
        Assert.Equal("classifier.0.bias", Assert.Single(report.Mismatched).Key);
        Assert.Equal(weights.Count - 2, report.Loaded.Count);
        Assert.False(report.IsComplete);
    }

    [Fact]
    public void KeysAreRenamedAndDroppedAndMissingBatchCountersAreTolerated()
    {
        using var scope = NewDisposeScope();
        var source = Network(seed: 1);
        var weights = source.state_dict().Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary(p => "model." + p.Key, p => p.Value);
        weights["model.unused"] = zeros(1);
        var target = Network(seed: 2);
        var report = PretrainedWeights.Load(target, weights, new WeightLoadOptions { MapKey = k => k == "model.unused" ? null : k["model.".Length..] });
        Assert.All(report.Missing, k => Assert.EndsWith("num_batches_tracked", k, StringComparison.Ordinal));
        Assert.NotEmpty(report.Missing);
        Assert.Empty(report.Unexpected);
        using var input = rand(2, 1, 28, 28);
        Assert.True(Same(Forward(source, input), Forward(target, input)));
    }

    [Fact]
    public void TensorFlowLayoutsConvertToPyTorchs()
    {
        using var scope = NewDisposeScope();
        var conv = randn(8, 3, 5, 5);
        Assert.True(Same(TensorLayouts.ConvolutionFromHwio(conv.permute(2, 3, 1, 0)), conv));
        var depthwise = randn(3 * 2, 1, 3, 3);
        var tf = depthwise.reshape(3, 2, 3, 3).permute(2, 3, 0, 1);
        Assert.True(Same(TensorLayouts.DepthwiseFromHwim(tf), depthwise));
        var dense = randn(4, 6);
        Assert.True(Same(TensorLayouts.DenseFromInOut(dense.t()), dense));
        Assert.Throws<ArgumentException>(() => TensorLayouts.ConvolutionFromHwio(dense));

        // Through the loader: a TF-layout kernel converted on the way in gives PyTorch's convolution.
        using var target = nn.Conv2d(3, 8, 5, bias: false);
        PretrainedWeights.Load(target, new Dictionary<string, Tensor> { ["kernel"] = conv.permute(2, 3, 1, 0) }, new WeightLoadOptions
        {
            MapKey = _ => "weight",
            Convert = (_, t) => TensorLayouts.ConvolutionFromHwio(t),
        });
        Assert.True(Same(target.weight!, conv));
    }

    [Fact]
    public void MissingTruncatedForeignAndTamperedFilesAreNamed()
    {
        using var scope = NewDisposeScope();
        var network = Network(seed: 1);
        var missing = Path.Combine(Dir, "nope.pth");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => PretrainedWeights.Read(missing)).Message, StringComparison.Ordinal);

        var path = Save(network, "good.pth");
        var truncated = Path.Combine(Dir, "truncated.pth");
        File.WriteAllBytes(truncated, File.ReadAllBytes(path)[..200]);
        Assert.Contains(truncated, Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(truncated)).Message, StringComparison.Ordinal);

        var text = Path.Combine(Dir, "weights.safetensors");
        File.WriteAllText(text, "not a tensor file");
        Assert.Contains(text, Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(text)).Message, StringComparison.Ordinal);

        var onnx = Path.Combine(Dir, "model.onnx");
        File.WriteAllBytes(onnx, [1]);
        Assert.Contains(".onnx", Assert.Throws<NotSupportedException>(() => PretrainedWeights.Read(onnx)).Message, StringComparison.Ordinal);

        var sha = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.NotEmpty(PretrainedWeights.Read(path, sha));
        var e = Assert.Throws<InvalidDataException>(() => PretrainedWeights.Load(network, path, new WeightLoadOptions { Sha256 = new string('0', 64) }));
        Assert.Contains(sha.ToLowerInvariant(), e.Message, StringComparison.Ordinal);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static nn.Module<Tensor, Tensor> Network(int seed)
    {
        random.manual_seed(seed);
        var network = new SmallCnnSpec { WidthMultiplier = 0.25 }.Build();
        network.eval();
        return network;
    }

    private static Tensor Forward(nn.Module<Tensor, Tensor> network, Tensor input)
    {
        using var noGrad = no_grad();
        return network.call(input);
    }

    private string Save(nn.Module network, string name)
    {
        var path = Path.Combine(Dir, name);
        if (name.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            Safetensors.SaveStateDict(path, network.state_dict());
        }
        else
        {
            PyTorchPickler.PickleStateDict(path, new System.Collections.Hashtable(network.state_dict()));
        }

        return path;
    }

    /// <summary>Has PyTorch write the state dict; false when torch is not installed.</summary>
    private static bool WriteWithPyTorch(IReadOnlyDictionary<string, long[]> shapes, string path, string raw)
    {
        var spec = string.Join(";", shapes.Select(s => $"{s.Key}={string.Join(",", s.Value)}"));
        const string script = "import sys, collections, torch\n" +
            "torch.manual_seed(3)\n" +
            "d = collections.OrderedDict()\n" +
            "for item in sys.argv[1].split(';'):\n" +
            "    k, s = item.split('=')\n" +
            "    d[k] = torch.randn([int(x) for x in s.split(',')])\n" +
            "torch.save(d, sys.argv[2])\n" +
            "open(sys.argv[3], 'wb').write(b''.join(t.contiguous().numpy().tobytes() for t in d.values()))\n";
        return PythonTorch.TryRun(script, [spec, path, raw], "torch");
    }
}

using System.Buffers.Binary;
using DeepLearning.Transforms.Weights;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Weights;

/// <summary>TF.js weight manifests: values across shards, dequantisation against hand-computed values, layouts, and named errors.</summary>
public sealed class TfjsWeightsTests : TempDirectoryTest
{
    [Fact]
    public void WeightsAreReadAcrossShardsAndDequantised()
    {
        using var scope = NewDisposeScope();
        var kernel = Enumerable.Range(0, 3 * 3 * 2 * 4).Select(i => (i * 0.25f) - 3).ToArray();
        var bias = new[] { 0.5f, -1.5f, 2f, 8f };
        var floats = kernel.Concat(bias).SelectMany(Bytes).ToArray();

        // The float group is split over two shards at a byte that is not a float boundary.
        File.WriteAllBytes(Path.Combine(Dir, "g1-1.bin"), floats[..37]);
        File.WriteAllBytes(Path.Combine(Dir, "g1-2.bin"), floats[37..]);
        var half = new byte[2];
        BinaryPrimitives.WriteHalfLittleEndian(half, (Half)1.5f);
        var step = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(step, 42);
        File.WriteAllBytes(Path.Combine(Dir, "g2.bin"), [0, 10, 255, .. BitConverter.GetBytes((ushort)1000), .. half, .. step]);
        var manifest = WriteManifest("""
            [
              {"paths": ["g1-1.bin", "g1-2.bin"], "weights": [
                {"name": "conv0/filters", "shape": [3, 3, 2, 4], "dtype": "float32"},
                {"name": "conv0/bias", "shape": [4], "dtype": "float32"}]},
              {"paths": ["g2.bin"], "weights": [
                {"name": "dense/kernel", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}},
                {"name": "wide", "shape": [1], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.01, "min": 0}},
                {"name": "half", "shape": [1], "dtype": "float32", "quantization": {"dtype": "float16"}},
                {"name": "step", "shape": [], "dtype": "int32"}]}
            ]
            """);

        var weights = PretrainedWeights.Read(manifest);

        Assert.Equal([3L, 3, 2, 4], weights["conv0/filters"].shape);
        Assert.Equal(kernel, weights["conv0/filters"].data<float>().ToArray());
        Assert.Equal(bias, weights["conv0/bias"].data<float>().ToArray());
        Assert.Equal([-1f, 4f, 126.5f], weights["dense/kernel"].data<float>().ToArray());
        Assert.Equal(10f, weights["wide"].data<float>()[0], 4);
        Assert.Equal(1.5f, weights["half"].data<float>()[0]);
        Assert.Equal(42, weights["step"].item<int>());
    }

    [Fact]
    public void ATfKernelLoadsIntoAConvolutionThatComputesTheSame()
    {
        // TF computes out[o] = Σ_{h,w,i} x[i, h, w] · K[h, w, i, o]; the converted kernel must give that in PyTorch.
        using var scope = NewDisposeScope();
        var tfKernel = randn(3, 3, 2, 4);
        File.WriteAllBytes(Path.Combine(Dir, "k.bin"), [.. tfKernel.data<float>().ToArray().SelectMany(Bytes)]);
        var manifest = WriteManifest("""[{"paths": ["k.bin"], "weights": [{"name": "conv0/filters", "shape": [3, 3, 2, 4], "dtype": "float32"}]}]""");
        using var conv = nn.Conv2d(2, 4, 3, bias: false);
        var report = PretrainedWeights.Load(conv, manifest, new WeightLoadOptions
        {
            MapKey = k => k == "conv0/filters" ? "weight" : null,
            Convert = (_, t) => TensorLayouts.ConvolutionFromHwio(t),
        });
        Assert.Equal(["weight"], report.Loaded);

        var x = randn(1, 2, 3, 3);
        var expected = einsum("ihw,hwio->o", x[0], tfKernel);
        using var noGrad = no_grad();
        Assert.True(conv.call(x).view(4).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void MissingAndShortShardsAndUnknownTypesAreNamed()
    {
        var manifest = WriteManifest("""[{"paths": ["absent.bin"], "weights": [{"name": "w", "shape": [2], "dtype": "float32"}]}]""");
        Assert.Contains("absent.bin", Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(manifest)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(Path.Combine(Dir, "short.bin"), [1, 2, 3]);
        manifest = WriteManifest("""[{"paths": ["short.bin"], "weights": [{"name": "w", "shape": [2], "dtype": "float32"}]}]""");
        var e = Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(manifest));
        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);

        manifest = WriteManifest("""[{"paths": ["short.bin"], "weights": [{"name": "w", "shape": [1], "dtype": "complex64"}]}]""");
        Assert.Contains("complex64", Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(manifest)).Message, StringComparison.Ordinal);

        manifest = WriteManifest("{\"not\": \"a list\"}");
        Assert.Contains(manifest, Assert.Throws<InvalidDataException>(() => PretrainedWeights.Read(manifest)).Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }

    private string WriteManifest(string json)
    {
        var path = Path.Combine(Dir, $"m{Guid.NewGuid():N}-weights_manifest.json");
        File.WriteAllText(path, json);
        return path;
    }
}

using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Weights;

/// <summary>
/// torchvision's own ResNet-18 and MobileNetV2, randomly initialised and saved by PyTorch, load into
/// our architectures by name (strictly) and give PyTorch's outputs on PyTorch's input.
/// </summary>
public sealed class TorchVisionStateDictTests : TempDirectoryTest
{
    private const string Script = """
        import sys, torch, torchvision
        torch.manual_seed(1)
        model = getattr(torchvision.models, sys.argv[1])(num_classes=10).eval()
        with torch.no_grad():
            for name, buffer in model.named_buffers():
                if name.endswith('running_mean'):
                    buffer.normal_(0, 0.1)
                elif name.endswith('running_var'):
                    buffer.uniform_(0.5, 1.5)
            x = torch.randn(2, 3, 64, 64)
            y = model(x)
        torch.save(model.state_dict(), sys.argv[2])
        open(sys.argv[3], 'wb').write(x.numpy().tobytes())
        open(sys.argv[4], 'wb').write(y.numpy().tobytes())
        """;

    public static TheoryData<string> Models => ["resnet18", "mobilenet_v2"];

    [Theory]
    [MemberData(nameof(Models))]
    public void ATorchVisionStateDictGivesPyTorchsOutputs(string model)
    {
        var (weights, input, output) = (Path.Combine(Dir, model + ".pth"), Path.Combine(Dir, "x.f32"), Path.Combine(Dir, "y.f32"));
        if (!PythonTorch.TryRun(Script, [model, weights, input, output], "torch", "torchvision"))
        {
            return;
        }

        NetworkSpec spec = model == "resnet18"
            ? new ResNetSpec { Variant = ResNetVariant.ResNet18, InputHeight = 64, InputWidth = 64, OutputSize = 10 }
            : new MobileNetV2Spec { InputHeight = 64, InputWidth = 64, OutputSize = 10 };
        using var scope = NewDisposeScope();
        using var network = spec.Build();
        var report = PretrainedWeights.Load(network, weights);
        Assert.True(report.IsComplete, report.ToString());

        network.eval();
        using var noGrad = no_grad();
        var x = tensor(Floats(input)).reshape(2, 3, 64, 64);
        var expected = tensor(Floats(output)).reshape(2, 10);
        var actual = network.call(x);
        var difference = actual.sub(expected).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"{model}: largest difference {difference}");
    }

    private static float[] Floats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}

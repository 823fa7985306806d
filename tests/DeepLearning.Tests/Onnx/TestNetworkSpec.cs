using DeepLearning.Transforms.Networks;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Onnx;

/// <summary>A spec around any module, for networks no shipped spec builds (never serialized).</summary>
internal sealed record TestNetworkSpec : NetworkSpec
{
    public required long[] Shape { get; init; }

    public required Func<nn.Module<Tensor, Tensor>> Factory { get; init; }

    public override IReadOnlyList<long> InputShape => Shape;

    public override int OutputSize { get; init; }

    public override void Validate()
    {
    }

    public override nn.Module<Tensor, Tensor> Build() => Factory();
}

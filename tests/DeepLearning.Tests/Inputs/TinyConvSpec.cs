using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Inputs;

/// <summary>A tiny convolutional network for image inputs <c>[C, H, W]</c>: Conv2d C→4, ReLU, global average pool, Linear → outputs.</summary>
[RegisteredName("test-tiny-conv")]
internal sealed record TinyConvSpec : ImageNetworkSpec
{
    protected override int MinimumInputSize => 1;

    public override void Validate()
    {
        base.Validate();
        OptionCheck.Require(InputChannels is 1 or 3, InputChannels, nameof(InputChannels), "1 or 3");
    }

    public override nn.Module<Tensor, Tensor> Build() => new TinyConv(InputChannels, OutputSize);
}

/// <summary>The module of <see cref="TinyConvSpec"/>; it records the shape of every batch it sees.</summary>
internal sealed class TinyConv : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Linear fc;
    private readonly List<long[]> _seen = [];

    public TinyConv(long channels, int outputs)
        : base(nameof(TinyConv))
    {
        conv = nn.Conv2d(channels, 4, kernel_size: 3, padding: 1);
        fc = nn.Linear(4, outputs);
        RegisterComponents();
    }

    /// <summary>The shapes of the batches seen so far.</summary>
    public IReadOnlyList<long[]> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public void ClearSeen()
    {
        lock (_seen)
        {
            _seen.Clear();
        }
    }

    public override Tensor forward(Tensor input)
    {
        lock (_seen)
        {
            _seen.Add(input.shape);
        }

        return fc.forward(nn.functional.relu(conv.forward(input)).mean([2, 3]));
    }
}

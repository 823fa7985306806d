using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Sliding windows by convolution (OverFeat, Sermanet et al., 2014): a trained image classifier whose fully
/// connected head is turned into convolutions, so that one forward pass over a larger image scores every
/// window of the classifier's input size at once, at steps of the trunk's total stride. The first linear
/// layer becomes a convolution whose kernel covers the whole feature map of one window; the later ones
/// become 1×1 convolutions; activations and dropout carry over. The result equals scoring every crop
/// separately when the trunk's convolutions are unpadded (e.g. LeNet-5 at 32×32); with padded ones a
/// window sees its neighbours' pixels where a lone crop sees zeros at its border.
/// </summary>
public sealed class SlidingWindowClassifier : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> trunk;
    private readonly Sequential head;
    // The converted copy of the classifier, which owns the trunk; not a registered submodule, so the trunk's parameters appear once.
    private readonly IDisposable owner;

    private SlidingWindowClassifier(SequentialImageClassifier network, nn.Module<Tensor, Tensor> trunk, Sequential head, int windowHeight, int windowWidth, int stride)
        : base(nameof(SlidingWindowClassifier))
    {
        owner = network;
        this.trunk = trunk;
        this.head = head;
        WindowHeight = windowHeight;
        WindowWidth = windowWidth;
        Stride = stride;
        RegisterComponents();
    }

    /// <summary>Height of the window each output position scores: the classifier's input height.</summary>
    public int WindowHeight { get; }

    /// <summary>Width of the window each output position scores: the classifier's input width.</summary>
    public int WindowWidth { get; }

    /// <summary>Pixels between neighbouring windows: the trunk's total stride. Output position (i, j) scores the window whose top-left corner is (i·Stride, j·Stride).</summary>
    public int Stride { get; }

    /// <summary>Converts a trained classifier (an independent copy: the classifier is not changed or shared).</summary>
    /// <param name="architecture">The classifier's architecture.</param>
    /// <param name="trained">The trained classifier, built from <paramref name="architecture"/>.</param>
    /// <exception cref="NotSupportedException">The architecture pools its features before the head (e.g. ResNet's global average pooling), or its head holds a layer other than linear layers, activations and dropout.</exception>
    /// <exception cref="ArgumentException">The weights do not fit the architecture.</exception>
    public static SlidingWindowClassifier FromClassifier(ImageNetworkSpec architecture, ImageClassifier trained)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(trained);
        var copy = architecture.Build();
        try
        {
            copy.load_state_dict(trained.state_dict());
            if (copy is not SequentialImageClassifier { UnpooledTrunk: { } trunk } network || network.Head is not Sequential fullyConnected)
            {
                throw new NotSupportedException($"{architecture.GetType().Name} cannot slide by convolution: its head must read the trunk's feature map flattened as it is (no pooling before the head) and be a sequence of layers.");
            }

            copy.eval();
            var (channels, height, width) = FeatureMap(trunk, architecture, 0);
            var (_, _, widerWidth) = FeatureMap(trunk, architecture, StrideProbe);
            int stride = StrideProbe / (int)(widerWidth - width);
            var head = Convert(fullyConnected, channels, height, width, architecture.GetType().Name);
            return new SlidingWindowClassifier(network, trunk, head, architecture.InputHeight, architecture.InputWidth, stride);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Class scores (logits) of every window: images <c>[N, C, H, W]</c> (at least one window in each direction) to <c>[N, classes, (H − WindowHeight) / Stride + 1, (W − WindowWidth) / Stride + 1]</c>.</summary>
    /// <param name="input">The images.</param>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[2] < WindowHeight || input.shape[3] < WindowWidth)
        {
            throw new ArgumentException($"Sliding windows need images [N, C, H, W] of at least {WindowHeight}×{WindowWidth}; got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        return head.call(trunk.call(input)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owner.Dispose();
            head.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Extra input width used to measure the trunk's stride.</summary>
    private const int StrideProbe = 64;

    private static (long Channels, long Height, long Width) FeatureMap(nn.Module<Tensor, Tensor> trunk, ImageNetworkSpec architecture, int extraWidth)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shape = trunk.call(zeros(1, architecture.InputChannels, architecture.InputHeight, architecture.InputWidth + extraWidth)).shape;
        return (shape[1], shape[2], shape[3]);
    }

    private static Sequential Convert(Sequential fullyConnected, long channels, long height, long width, string architecture)
    {
        var layers = new List<(string Name, nn.Module<Tensor, Tensor> Module)>();
        bool first = true;
        using var noGrad = no_grad();
        foreach (var (name, child) in fullyConnected.named_children())
        {
            if (child is Linear linear)
            {
                var (kernelHeight, kernelWidth, inputs) = first ? (height, width, channels) : (1L, 1L, linear.in_features);
                var conv = nn.Conv2d(inputs, linear.out_features, (kernelHeight, kernelWidth), bias: linear.bias is not null);
                conv.weight!.copy_(linear.weight!.reshape(linear.out_features, inputs, kernelHeight, kernelWidth));
                if (linear.bias is { } bias)
                {
                    conv.bias!.copy_(bias);
                }

                layers.Add((name, conv));
                first = false;
            }
            else if (child is ReLU or ReLU6 or Tanh or Sigmoid or LeakyReLU or GELU or SiLU or Dropout or Identity && child is nn.Module<Tensor, Tensor> elementwise)
            {
                layers.Add((name, elementwise));
            }
            else
            {
                throw new NotSupportedException($"{architecture} cannot slide by convolution: its head's layer '{name}' ({child.GetType().Name}) is not a linear layer, an activation or dropout.");
            }
        }

        return nn.Sequential(layers);
    }
}

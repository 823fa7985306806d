using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A trained network ready to score: the input adapter, the network (spec and module, in evaluation
/// mode on a device) and the output head. <see cref="Predict"/> runs batches without autograd inside
/// a dispose scope: normalise, forward, post-process. Thread-safe. On Linux, the first model of the
/// process keeps libtorch's per-batch buffers in the C heap (see <c>NativeHeap</c>).
/// </summary>
public sealed class NetworkModel : IDisposable
{
    private readonly object _gate = new();
    private readonly Tensor? _mean;
    private readonly Tensor? _std;
    private bool _disposed;

    /// <summary>Wraps a network; the model takes ownership of it and puts it in evaluation mode.</summary>
    /// <param name="input">How the input column becomes the network's input.</param>
    /// <param name="spec">The spec the network was built from; its input shape must be the adapter's.</param>
    /// <param name="network">The network.</param>
    /// <param name="head">What the network's outputs mean; its <see cref="OutputHead.NetworkOutputs"/> must be the spec's output size.</param>
    /// <param name="device">Torch device to score on, e.g. <c>cpu</c>.</param>
    /// <exception cref="ArgumentException">The shapes of adapter, spec and head disagree.</exception>
    public NetworkModel(InputAdapter input, NetworkSpec spec, nn.Module<Tensor, Tensor> network, OutputHead head, string device = "cpu")
    {
        Input = input ?? throw new ArgumentNullException(nameof(input));
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Head = head ?? throw new ArgumentNullException(nameof(head));
        input.Validate();
        head.Validate();
        if (!input.Shape.SequenceEqual(spec.InputShape))
        {
            throw new ArgumentException($"The input adapter gives rows of shape [{string.Join(", ", input.Shape)}], but the network expects [{string.Join(", ", spec.InputShape)}].", nameof(input));
        }

        if (head.NetworkOutputs != spec.OutputSize)
        {
            throw new ArgumentException($"The {NameOf(head)} head reads {head.NetworkOutputs} network outputs, but the network has {spec.OutputSize}.", nameof(head));
        }

        NativeHeap.EnsureConfigured();
        ConvolutionCheck.EnsureVerified();
        Device = torch.device(device);
        Network.to(Device);
        Network.eval();
        if (input.Normalization is { } normalization)
        {
            (_mean, _std) = normalization.ToTensors(input.Shape, Device);
        }
    }

    /// <summary>How the input column becomes the network's input.</summary>
    public InputAdapter Input { get; }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The TorchSharp module (in evaluation mode).</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>What the network's outputs mean, and the columns they become.</summary>
    public OutputHead Head { get; }

    /// <summary>The device the network lives on.</summary>
    public Device Device { get; }

    /// <summary>Values per input row.</summary>
    internal int InputLength => Input.Length;

    /// <summary>Values per output row (after post-processing).</summary>
    internal int OutputSize => Head.OutputSize;

    /// <summary>Scores <paramref name="rows"/> rows held contiguously in <paramref name="input"/>.</summary>
    /// <param name="input">Row-major inputs; at least <c>rows × InputLength</c> values, a multiple of InputLength in all.</param>
    /// <param name="rows">Number of rows, at least 1.</param>
    /// <param name="output">Receives <c>rows × OutputSize</c> post-processed values.</param>
    internal void Predict(float[] input, int rows, float[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (rows < 1 || (long)rows * InputLength > input.Length || (long)rows * OutputSize > output.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Buffers of {input.Length} inputs and {output.Length} outputs cannot hold {rows} rows of {InputLength} inputs and {OutputSize} outputs.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long[] shape = [input.Length / InputLength, .. Input.Shape];
            var x = torch.tensor(input, shape).narrow(0, 0, rows).to(Device);
            var y = Head.PostProcess(Network.forward(Normalize(x)));
            y.reshape(-1).cpu().data<float>().CopyTo(output.AsSpan(0, rows * OutputSize));
        }
    }

    /// <summary>Applies the input normalisation to a batch <c>[B, ..shape]</c> on <see cref="Device"/>.</summary>
    internal Tensor Normalize(Tensor batch) => _mean is null ? batch : batch.sub(_mean).div(_std!);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                Network.Dispose();
                _mean?.Dispose();
                _std?.Dispose();
            }
        }
    }

    private static string NameOf(OutputHead head) => head.GetType().Name;
}

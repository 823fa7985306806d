using DeepLearning.Transforms.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A trained network ready to score: its spec, its module in evaluation mode on a device, and a
/// batched <see cref="Predict"/> that runs without autograd inside a dispose scope. Thread-safe.
/// </summary>
public sealed class NetworkModel : IDisposable
{
    private readonly object _gate = new();
    private readonly long[] _batchShape;
    private bool _disposed;

    /// <summary>Wraps a network; the model takes ownership of it and puts it in evaluation mode.</summary>
    /// <param name="spec">The spec the network was built from.</param>
    /// <param name="network">The network.</param>
    /// <param name="device">Torch device to score on, e.g. <c>cpu</c>.</param>
    public NetworkModel(NetworkSpec spec, nn.Module<Tensor, Tensor> network, string device = "cpu")
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Device = torch.device(device);
        Network.to(Device);
        Network.eval();
        _batchShape = [0, .. spec.InputShape];
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The TorchSharp module (in evaluation mode).</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The device the network lives on.</summary>
    public Device Device { get; }

    /// <summary>Number of input values per row.</summary>
    public int InputLength => checked((int)Spec.InputLength);

    /// <summary>Number of output values per row.</summary>
    public int OutputSize => Spec.OutputSize;

    /// <summary>Scores <paramref name="rows"/> rows held contiguously in <paramref name="input"/>.</summary>
    /// <param name="input">Row-major inputs; at least <c>rows × InputLength</c> values.</param>
    /// <param name="rows">Number of rows, at least 1.</param>
    /// <param name="output">Receives <c>rows × OutputSize</c> values.</param>
    /// <param name="softmax">Apply softmax over each row's outputs.</param>
    public void Predict(float[] input, int rows, float[] output, bool softmax)
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
            var shape = (long[])_batchShape.Clone();
            shape[0] = input.Length / InputLength;
            var x = torch.tensor(input, shape).narrow(0, 0, rows).to(Device);
            var y = Network.forward(x);
            if (softmax)
            {
                y = y.softmax(1);
            }

            y.reshape(-1).cpu().data<float>().CopyTo(output.AsSpan(0, rows * OutputSize));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                Network.Dispose();
            }
        }
    }
}

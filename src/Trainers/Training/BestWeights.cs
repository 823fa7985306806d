using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// A detached copy of a network's state (parameters and buffers such as batch-norm statistics),
/// taken at the best epoch so early stopping can put it back.
/// </summary>
internal sealed class BestWeights : IDisposable
{
    private readonly Tensor[] _live;
    private Tensor[]? _copy;

    public BestWeights(nn.Module network) => _live = network.state_dict().Values.ToArray();

    /// <summary>Copies the network's current state (reusing the copy's memory after the first time).</summary>
    public void Capture()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        if (_copy is null)
        {
            _copy = new Tensor[_live.Length];
            for (var i = 0; i < _live.Length; i++)
            {
                _copy[i] = _live[i].detach().clone().DetachFromDisposeScope();
            }

            return;
        }

        for (var i = 0; i < _live.Length; i++)
        {
            _copy[i].copy_(_live[i]);
        }
    }

    /// <summary>Writes the captured state back into the network; does nothing before the first capture.</summary>
    public void Restore()
    {
        if (_copy is null)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        for (var i = 0; i < _live.Length; i++)
        {
            _live[i].copy_(_copy[i]);
        }
    }

    public void Dispose()
    {
        if (_copy is not null)
        {
            foreach (var tensor in _copy)
            {
                tensor.Dispose();
            }

            _copy = null;
        }
    }
}

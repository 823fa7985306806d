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

    /// <summary>Whether a state has been captured.</summary>
    public bool HasCopy => _copy is not null;

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

    /// <summary>Writes the captured state (which must exist) for a checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        var copy = _copy ?? throw new InvalidOperationException("No state has been captured.");
        writer.Write(copy.Length);
        foreach (var tensor in copy)
        {
            tensor.Save(writer);
        }
    }

    /// <summary>Reads a state written by <see cref="Save"/> into the copy.</summary>
    /// <exception cref="InvalidDataException">The saved state does not fit the network.</exception>
    public void Load(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count != _live.Length)
        {
            throw new InvalidDataException($"The saved best weights have {count} tensors, the network {_live.Length}.");
        }

        Capture();
        foreach (var tensor in _copy!)
        {
            tensor.Load(reader);
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

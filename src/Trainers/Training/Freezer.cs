using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Applies <see cref="FreezeSpec"/>s: sets <c>requires_grad</c> of the frozen modules' parameters per
/// epoch (dropping their gradients while frozen) and puts their batch-norm layers back into
/// evaluation mode after every <c>network.train()</c>. Disposing restores every parameter's
/// original <c>requires_grad</c>.
/// </summary>
internal sealed class Freezer : IDisposable
{
    private readonly Frozen[] _frozen;
    private int _epoch;

    private Freezer(Frozen[] frozen) => _frozen = frozen;

    /// <summary>Finds the modules of <paramref name="specs"/> in <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">A module name is not in the network (the message lists the top-level names).</exception>
    public static Freezer Create(nn.Module network, IReadOnlyList<FreezeSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(specs);
        var modules = specs.Count == 0 ? [] : network.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var frozen = new Frozen[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            specs[i].Validate();
            if (!modules.TryGetValue(specs[i].Module, out var module))
            {
                var names = modules.Keys.Where(n => !n.Contains('.', StringComparison.Ordinal));
                throw new ArgumentException($"Module '{specs[i].Module}' to freeze is not in the network; its top-level modules are {string.Join(", ", names.Select(n => $"'{n}'"))}.", nameof(specs));
            }

            var parameters = module.parameters().ToArray();
            frozen[i] = new Frozen(specs[i], parameters, [.. parameters.Select(p => p.requires_grad)], [.. module.modules().Prepend(module).Where(m => m is BatchNorm)]);
        }

        return new Freezer(frozen);
    }

    /// <summary>Freezes or unfreezes parameters for <paramref name="epoch"/>; call before its first batch.</summary>
    public void SetEpoch(int epoch)
    {
        _epoch = epoch;

        // A parameter in several frozen modules trains once every one of them is unfrozen.
        var frozenNow = _frozen.Where(f => epoch < f.Spec.UnfreezeAtEpoch).SelectMany(f => f.Parameters).Select(p => p.Handle).ToHashSet();
        foreach (var frozen in _frozen)
        {
            for (var i = 0; i < frozen.Parameters.Length; i++)
            {
                var parameter = frozen.Parameters[i];
                var trainable = !frozenNow.Contains(parameter.Handle);
                if (!trainable)
                {
                    // A zero gradient would still let weight decay and momentum move the parameter.
                    using var grad = parameter.grad;
                    if (grad is not null)
                    {
                        parameter.grad = null;
                    }
                }

                parameter.requires_grad = trainable && frozen.RequiresGrad[i];
            }
        }
    }

    /// <summary>Puts the batch-norm layers of modules frozen in the current epoch into evaluation mode; call after every <c>network.train()</c>.</summary>
    public void KeepFrozenBatchNormsInEvaluationMode()
    {
        foreach (var frozen in _frozen)
        {
            if (_epoch < frozen.Spec.UnfreezeAtEpoch)
            {
                foreach (var module in frozen.BatchNorms)
                {
                    module.eval();
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var frozen in _frozen)
        {
            for (var i = 0; i < frozen.Parameters.Length; i++)
            {
                frozen.Parameters[i].requires_grad = frozen.RequiresGrad[i];
            }
        }
    }

    private sealed record Frozen(FreezeSpec Spec, Parameter[] Parameters, bool[] RequiresGrad, nn.Module[] BatchNorms);
}

using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Hooks;

/// <summary>Records every callback and optionally runs code at each.</summary>
internal sealed class RecordingCallback : TrainingCallback
{
    public List<string> Events { get; } = [];

    public Action<TrainingContext>? BatchEnd { get; init; }

    public Action<TrainingContext, EpochMetrics>? EpochEnd { get; init; }

    public override void OnEpochStart(TrainingContext context) => Events.Add($"start {context.Epoch}");

    public override void OnBatchEnd(TrainingContext context)
    {
        Events.Add($"batch {context.Epoch}.{context.Batch}");
        BatchEnd?.Invoke(context);
    }

    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        Events.Add($"end {context.Epoch}");
        EpochEnd?.Invoke(context, metrics);
    }
}

/// <summary>Copies of a network's state_dict entries.</summary>
internal sealed class StateSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _entries;

    public StateSnapshot(nn.Module network)
    {
        using var noGrad = no_grad();
        _entries = network.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone().DetachFromDisposeScope());
    }

    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>Names of the entries starting with <paramref name="prefix"/> that differ from <paramref name="other"/>.</summary>
    public IReadOnlyList<string> Changed(StateSnapshot other, string prefix = "")
        => [.. _entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && !TrainingData.Same(e.Value, other._entries[e.Key])).Select(e => e.Key)];

    public void Dispose()
    {
        foreach (var tensor in _entries.Values)
        {
            tensor.Dispose();
        }
    }
}

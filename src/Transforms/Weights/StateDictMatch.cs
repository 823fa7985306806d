using static TorchSharp.torch;

namespace DeepLearning.Transforms.Weights;

/// <summary>Matches a network's state dict with weights by key and shape: what to copy where, and the report.</summary>
internal static class StateDictMatch
{
    private const string BatchCounterSuffix = "num_batches_tracked";

    /// <summary>The copies to make and the report, without copying anything.</summary>
    /// <param name="network">The network's state dict (its own tensors).</param>
    /// <param name="weights">The weights by their keys.</param>
    /// <param name="options">Renaming, conversion and skipped prefixes.</param>
    public static MatchPlan Plan(IReadOnlyDictionary<string, Tensor> network, IReadOnlyDictionary<string, Tensor> weights, WeightLoadOptions options)
    {
        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in weights)
        {
            var target = options.MapKey is null ? key : options.MapKey(key);
            if (target is not null)
            {
                renamed[target] = value;
            }
        }

        var copies = new List<(Tensor Target, Tensor Value)>();
        List<string> loaded = [], missing = [], skipped = [];
        var mismatched = new List<ShapeMismatch>();
        foreach (var (key, target) in network)
        {
            if (options.SkipPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                skipped.Add(key);
                continue;
            }

            if (!renamed.TryGetValue(key, out var value))
            {
                missing.Add(key);
                continue;
            }

            value = options.Convert is null ? value : options.Convert(key, value);
            if (!value.shape.SequenceEqual(target.shape))
            {
                mismatched.Add(new ShapeMismatch(key, target.shape, value.shape));
                continue;
            }

            copies.Add((target, value.to(target.dtype, target.device)));
            loaded.Add(key);
        }

        var unexpected = renamed.Keys.Where(k => !network.ContainsKey(k) && !options.SkipPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        var report = new WeightLoadReport(loaded, missing, unexpected, mismatched, skipped);
        var onlyCounters = missing.Count > 0 && missing.All(k => k.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)) && unexpected.Count == 0 && mismatched.Count == 0;
        return new MatchPlan(copies, report, onlyCounters);
    }
}

/// <summary>The copies to make and what the match found.</summary>
/// <param name="Copies">Network tensor and the (converted) weight to copy into it.</param>
/// <param name="Report">The report.</param>
/// <param name="OnlyMissingBatchCounters">Whether the only gaps are batch-norm counters, which old checkpoints lack.</param>
internal sealed record MatchPlan(IReadOnlyList<(Tensor Target, Tensor Value)> Copies, WeightLoadReport Report, bool OnlyMissingBatchCounters);

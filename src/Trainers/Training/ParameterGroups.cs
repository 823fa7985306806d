using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// A network's parameters assigned to optimiser parameter groups (see <see cref="ParameterGroup"/>):
/// first the parameters no prefix matches (multiplier 1), then one group per prefix, empty groups left out.
/// </summary>
internal sealed class ParameterGroups
{
    private ParameterGroups(IReadOnlyList<(string Name, Parameter[] Parameters, double Multiplier)> groups) => Groups = groups;

    /// <summary>The groups in optimiser order: a name (the prefix, or empty for the rest), the parameters and the rate multiplier.</summary>
    public IReadOnlyList<(string Name, Parameter[] Parameters, double Multiplier)> Groups { get; }

    /// <summary>Assigns every parameter of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">A prefix matches no parameter (the message lists some names), or two groups have the same prefix.</exception>
    public static ParameterGroups Assign(nn.Module network, IReadOnlyList<ParameterGroup> specs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(specs);
        foreach (var spec in specs)
        {
            spec.Validate();
        }

        if (specs.GroupBy(s => s.Prefix, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Two parameter groups have the prefix '{duplicate.Key}'.", nameof(specs));
        }

        var named = network.named_parameters().ToList();
        var members = new List<Parameter>[specs.Count + 1];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = [];
        }

        foreach (var (name, parameter) in named)
        {
            var best = -1;
            for (var i = 0; i < specs.Count; i++)
            {
                if (name.StartsWith(specs[i].Prefix, StringComparison.Ordinal) && (best < 0 || specs[i].Prefix.Length > specs[best].Prefix.Length))
                {
                    best = i;
                }
            }

            members[best + 1].Add(parameter);
        }

        for (var i = 0; i < specs.Count; i++)
        {
            if (members[i + 1].Count == 0 && !named.Any(p => p.name.StartsWith(specs[i].Prefix, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Parameter group prefix '{specs[i].Prefix}' matches no parameter of the network; its parameters are named e.g. {string.Join(", ", named.Take(6).Select(p => $"'{p.name}'"))}.", nameof(specs));
            }
        }

        var groups = new List<(string, Parameter[], double)>();
        if (members[0].Count > 0)
        {
            groups.Add((string.Empty, [.. members[0]], 1.0));
        }

        for (var i = 0; i < specs.Count; i++)
        {
            if (members[i + 1].Count > 0)
            {
                groups.Add((specs[i].Prefix, [.. members[i + 1]], specs[i].LearningRateMultiplier));
            }
        }

        return new ParameterGroups(groups);
    }

    /// <summary>Sets every group of <paramref name="optimizer"/> (made from these groups) to <paramref name="rate"/> times its multiplier.</summary>
    public void SetLearningRate(Optimizer optimizer, double rate)
    {
        var i = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate * Groups[i++].Multiplier;
        }
    }
}

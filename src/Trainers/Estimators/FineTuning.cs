using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>Applies <see cref="FineTuningOptions"/> to a freshly built <see cref="ImageClassifier"/>: its pretrained weights, and the loop's freezing and parameter groups.</summary>
internal static class FineTuning
{
    /// <summary>The network as an image classifier with a backbone/head split, or an exception naming the architecture.</summary>
    public static ImageClassifier Classifier(nn.Module<Tensor, Tensor> network, string architecture)
        => network as ImageClassifier ?? throw new ArgumentException(
            $"Option FineTuning needs an architecture with a backbone and a head (an ImageClassifier), and {architecture} builds a {network.GetType().Name}.", "FineTuning");

    /// <summary>
    /// Loads <see cref="FineTuningOptions.InitialWeights"/> into <paramref name="network"/>; head layers
    /// whose shapes differ (another class count) keep their initialisation. Logs the report.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read, its hash differs, or (strict) it does not fit the architecture; the message names the option.</exception>
    public static void LoadInitialWeights(ImageClassifier network, FineTuningOptions options, Action<string> log)
    {
        var path = options.InitialWeights!;
        var weights = PretrainedWeights.Read(path, options.WeightOptions.Sha256);
        try
        {
            var head = HeadName(network) + ".";
            var load = options.WeightOptions;
            using (NewDisposeScope())
            {
                var probe = StateDictMatch.Plan(network.state_dict(), weights, load).Report;
                if (probe.Mismatched.Count > 0 && probe.Mismatched.All(m => m.Key.StartsWith(head, StringComparison.Ordinal)))
                {
                    log($"The head '{head[..^1]}' of {Path.GetFileName(path)} has other shapes ({string.Join("; ", probe.Mismatched)}): those layers keep their fresh initialisation.");
                    load = load with { SkipPrefixes = [.. load.SkipPrefixes, .. probe.Mismatched.Select(m => m.Key)] };
                }
            }

            var report = PretrainedWeights.Load(network, weights, load);
            log($"Initial weights from {path}: {report}.");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Option FineTuning.InitialWeights = '{Path.GetFullPath(path)}': {e.Message}", e);
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>The freezing and learning-rate groups of the backbone: every top-level child of the network but its head.</summary>
    public static (IReadOnlyList<FreezeSpec> Freezes, IReadOnlyList<ParameterGroup> Groups) Hooks(ImageClassifier network, FineTuningOptions options)
    {
        var head = HeadName(network);
        var backbone = network.named_children().Select(c => c.name).Where(n => n != head).ToList();
        IReadOnlyList<FreezeSpec> freezes = options.FreezeBackboneEpochs > 0 ? [.. backbone.Select(n => new FreezeSpec(n, options.FreezeBackboneEpochs + 1))] : [];
        IReadOnlyList<ParameterGroup> groups = options.BackboneLearningRateMultiplier != 1 ? [.. backbone.Select(n => new ParameterGroup(n + ".", options.BackboneLearningRateMultiplier))] : [];
        return (freezes, groups);
    }

    /// <summary>The name of the head among the network's children (<c>fc</c>, <c>classifier</c>).</summary>
    private static string HeadName(ImageClassifier network)
        => network.named_children().First(c => ReferenceEquals(c.module, network.Head)).name;
}

using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Applies <see cref="FineTuningOptions"/> to a freshly built <see cref="ImageClassifier"/>, or to the backbone
/// classifier of a detector: its pretrained weights, and the loop's freezing and parameter groups.
/// </summary>
internal static class FineTuning
{
    /// <summary>
    /// The classifier fine-tuning acts on — the network itself, or a detector's backbone — and the prefix of
    /// its keys in the network's state dict; an exception naming the architecture for other networks.
    /// </summary>
    public static (ImageClassifier Classifier, string Prefix) Classifier(nn.Module<Tensor, Tensor> network, string architecture) => network switch
    {
        ImageClassifier classifier => (classifier, string.Empty),
        IBackboneNetwork detector => (detector.Backbone, detector.BackboneName + "."),
        _ => throw new ArgumentException(
            $"Option FineTuning needs an architecture with a backbone and a head (an ImageClassifier) or built on one, and {architecture} builds a {network.GetType().Name}.", "FineTuning"),
    };

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

    /// <summary>
    /// The freezing and learning-rate groups of the backbone's stages (every top-level child of the
    /// classifier but its head; the children of a sequential child), nearest the head first.
    /// </summary>
    /// <param name="network">The classifier.</param>
    /// <param name="prefix">The classifier's key prefix in the trained network (empty when it is the network).</param>
    /// <param name="options">The fine-tuning options.</param>
    public static (IReadOnlyList<FreezeSpec> Freezes, IReadOnlyList<ParameterGroup> Groups) Hooks(ImageClassifier network, string prefix, FineTuningOptions options)
    {
        var stages = Stages(network).Select(s => prefix + s).ToList();
        var freezes = new List<FreezeSpec>();
        var groups = new List<ParameterGroup>();
        for (var k = 0; k < stages.Count; k++)
        {
            if (options.FreezeBackboneEpochs > 0 || options.UnfreezeStageEveryEpochs > 0)
            {
                var unfreeze = options.FreezeBackboneEpochs + 1 + (k * options.UnfreezeStageEveryEpochs);
                if (unfreeze >= 2)
                {
                    freezes.Add(new FreezeSpec(stages[k], unfreeze));
                }
            }

            var multiplier = options.BackboneLearningRateMultiplier * Math.Pow(options.StageLearningRateDecay, k);
            if (multiplier != 1)
            {
                groups.Add(new ParameterGroup(stages[k] + ".", multiplier));
            }
        }

        return (freezes, groups);
    }

    /// <summary>
    /// The backbone's stages that have parameters, by name, nearest the head first: the top-level
    /// children but the head (<c>layer4</c> … <c>conv1</c>), or, when the backbone is one sequential
    /// trunk (<c>features</c>), that trunk's children.
    /// </summary>
    internal static IReadOnlyList<string> Stages(ImageClassifier network)
    {
        var head = HeadName(network);
        var children = network.named_children().Where(c => c.name != head && c.module.parameters().Any()).ToList();
        var stages = children is [{ module: TorchSharp.Modules.Sequential trunk } only]
            ? trunk.named_children().Where(c => c.module.parameters().Any()).Select(c => $"{only.name}.{c.name}").ToList()
            : children.Select(c => c.name).ToList();
        stages.Reverse();
        return stages;
    }

    /// <summary>The name of the head among the network's children (<c>fc</c>, <c>classifier</c>).</summary>
    private static string HeadName(ImageClassifier network)
        => network.named_children().First(c => ReferenceEquals(c.module, network.Head)).name;
}

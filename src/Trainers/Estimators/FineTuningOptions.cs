using DeepLearning.Transforms.Validation;
using DeepLearning.Transforms.Weights;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Transfer learning in the CNN trainer: start from pretrained weights, keep the backbone frozen for
/// a number of epochs, and train it at a fraction of the head's learning rate. The backbone is every
/// part of the network but its head (<c>fc</c>, <c>classifier</c>: <see cref="Transforms.Networks.Architectures.ImageClassifier.Head"/>).
/// </summary>
public sealed class FineTuningOptions
{
    /// <summary>
    /// A weight file to start from (PyTorch state dict, safetensors or TF.js manifest; see
    /// <see cref="PretrainedWeights"/>), loaded into the architecture before the first epoch. Head
    /// layers whose shapes differ from what the data's class count needs (the last layer, for another
    /// class count) keep their fresh initialisation; everything else is loaded. Default <see langword="null"/>: random initialisation.
    /// </summary>
    public string? InitialWeights { get; set; }

    /// <summary>Strictness, renaming, conversion and SHA-256 of <see cref="InitialWeights"/>. Default strict, keys as they are.</summary>
    public WeightLoadOptions WeightOptions { get; set; } = new();

    /// <summary>
    /// Epochs during which the backbone is frozen (no updates, batch-norm statistics fixed) and only
    /// the head trains; the backbone trains from the next epoch on. Default 0; at least 0 (more than
    /// the epochs: frozen for the whole run, a linear probe on pretrained features).
    /// </summary>
    public int FreezeBackboneEpochs { get; set; }

    /// <summary>
    /// Unfreezes the backbone stage by stage once <see cref="FreezeBackboneEpochs"/> are over: the stage
    /// nearest the head first, then one more stage every this many epochs. A stage is a top-level block
    /// of the backbone (<c>layer4</c>, <c>features.17</c>: the children of a sequential trunk). Default
    /// 0: the whole backbone at once; otherwise at least 1.
    /// </summary>
    public int UnfreezeStageEveryEpochs { get; set; }

    /// <summary>Factor on the learning rate of the backbone (discriminative learning rates); the head trains at the scheduled rate. Default 1; greater than 0 and finite.</summary>
    public double BackboneLearningRateMultiplier { get; set; } = 1;

    /// <summary>
    /// Layer-wise decay of the backbone's learning rate: the stage k places below the head trains at
    /// <see cref="BackboneLearningRateMultiplier"/> × decay^k, so early, generic layers move least.
    /// Default 1 (no decay); in (0, 1].
    /// </summary>
    public double StageLearningRateDecay { get; set; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A name is blank.</exception>
    public void Validate()
    {
        if (InitialWeights is not null)
        {
            OptionCheck.RequireName(InitialWeights, $"FineTuning.{nameof(InitialWeights)}");
        }

        ArgumentNullException.ThrowIfNull(WeightOptions, $"FineTuning.{nameof(WeightOptions)}");
        OptionCheck.Require(FreezeBackboneEpochs >= 0, FreezeBackboneEpochs, $"FineTuning.{nameof(FreezeBackboneEpochs)}", "at least 0");
        OptionCheck.Require(UnfreezeStageEveryEpochs >= 0, UnfreezeStageEveryEpochs, $"FineTuning.{nameof(UnfreezeStageEveryEpochs)}", "at least 0");
        OptionCheck.Require(StageLearningRateDecay > 0 && StageLearningRateDecay <= 1, StageLearningRateDecay, $"FineTuning.{nameof(StageLearningRateDecay)}", "in (0, 1]");
        OptionCheck.Require(BackboneLearningRateMultiplier > 0 && double.IsFinite(BackboneLearningRateMultiplier), BackboneLearningRateMultiplier, $"FineTuning.{nameof(BackboneLearningRateMultiplier)}", "greater than 0 and finite");
    }
}

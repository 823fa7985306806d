using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Step decay: the learning rate is multiplied by <see cref="Gamma"/> every <see cref="StepEpochs"/>
/// epochs, <c>lr = base · gamma^floor(epoch / stepEpochs)</c>, where <c>epoch</c> is the number of
/// completed epochs. The rate changes only between epochs.
/// </summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates a step-decay schedule.</summary>
    /// <param name="stepEpochs">Epochs between decays; at least 1.</param>
    /// <param name="gamma">Factor applied at each decay. Default 0.1; in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public StepDecaySchedule(int stepEpochs, double gamma = 0.1)
    {
        StepEpochs = stepEpochs;
        Gamma = gamma;
        Validate();
    }

    /// <summary>Epochs between decays. No default (constructor argument); at least 1.</summary>
    public int StepEpochs { get; }

    /// <summary>Factor applied at each decay. Default 0.1; in (0, 1].</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(StepEpochs >= 1, StepEpochs, nameof(StepEpochs), "at least 1");
        OptionCheck.Require(Gamma > 0 && Gamma <= 1, Gamma, nameof(Gamma), "in (0, 1]");
    }

    /// <inheritdoc />
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
        => new EpochScheduler(epoch => baseLearningRate * Math.Pow(Gamma, epoch / StepEpochs));
}

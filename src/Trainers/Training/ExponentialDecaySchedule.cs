using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Exponential decay per epoch: <c>lr = base · gamma^epoch</c>, where <c>epoch</c> is the number of
/// completed epochs. The rate changes only between epochs.
/// </summary>
public sealed class ExponentialDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates an exponential-decay schedule.</summary>
    /// <param name="gamma">Factor applied after every epoch; in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is out of its range.</exception>
    public ExponentialDecaySchedule(double gamma)
    {
        Gamma = gamma;
        Validate();
    }

    /// <summary>Factor applied after every epoch. No default (constructor argument); in (0, 1].</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override void Validate()
        => OptionCheck.Require(Gamma > 0 && Gamma <= 1, Gamma, nameof(Gamma), "in (0, 1]");

    /// <inheritdoc />
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
        => new EpochScheduler(epoch => baseLearningRate * Math.Pow(Gamma, epoch));
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Inverse-time decay per epoch, <c>lr = base / (1 + decayRate · epoch)</c>, where <c>epoch</c> is the
/// number of completed epochs (the formula of Andrew Ng's deep-learning course). The rate changes
/// only between epochs.
/// </summary>
public sealed class InverseTimeDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates an inverse-time decay schedule.</summary>
    /// <param name="decayRate">Decay rate; at least 0 and finite (0 keeps the rate constant).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decayRate"/> is out of its range.</exception>
    public InverseTimeDecaySchedule(double decayRate)
    {
        DecayRate = decayRate;
        Validate();
    }

    /// <summary>Decay rate. No default (constructor argument); at least 0 and finite.</summary>
    public double DecayRate { get; }

    /// <inheritdoc />
    public override void Validate()
        => OptionCheck.Require(DecayRate >= 0 && double.IsFinite(DecayRate), DecayRate, nameof(DecayRate), "at least 0 and finite");

    /// <inheritdoc />
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
        => new EpochScheduler(epoch => baseLearningRate / (1 + (DecayRate * epoch)));
}

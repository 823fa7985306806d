using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Cosine annealing per mini-batch from the base rate down to <see cref="MinLearningRate"/> over the
/// whole run: <c>lr = min + (base − min) · (1 + cos(π · t / T)) / 2</c>, where <c>t</c> is the number
/// of optimiser steps taken so far and <c>T = epochs · stepsPerEpoch</c>.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine-annealing schedule.</summary>
    /// <param name="minLearningRate">Rate reached at the end of the run. Default 0; at least 0 and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minLearningRate"/> is out of its range.</exception>
    public CosineAnnealingSchedule(double minLearningRate = 0)
    {
        MinLearningRate = minLearningRate;
        Validate();
    }

    /// <summary>Rate reached at the end of the run. Default 0; at least 0 and finite.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override void Validate()
        => OptionCheck.Require(MinLearningRate >= 0 && double.IsFinite(MinLearningRate), MinLearningRate, nameof(MinLearningRate), "at least 0 and finite");

    /// <inheritdoc />
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
    {
        double totalSteps = Math.Max(1L, (long)epochs * stepsPerEpoch);
        var min = MinLearningRate;
        return new StepScheduler(step =>
        {
            var t = Math.Min(step, totalSteps);
            return min + ((baseLearningRate - min) * (1 + Math.Cos(Math.PI * t / totalSteps)) / 2);
        });
    }
}

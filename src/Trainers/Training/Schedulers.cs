namespace DeepLearning.Trainers.Training;

/// <summary>Validation helper of the schedules.</summary>
internal static class ScheduleChecks
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option and its value unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, object value, string name, string expected)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Option {name} = {value} is invalid: it must be {expected}.");
        }
    }
}

/// <summary>A constant learning rate: used when <see cref="TrainingOptions.LearningRateSchedule"/> is null.</summary>
internal sealed class ConstantScheduler(double learningRate) : ILearningRateScheduler
{
    public double Current { get; } = learningRate;

    public void OnStep()
    {
    }

    public void OnEpochEnd(double? validationLoss)
    {
    }
}

/// <summary>A scheduler whose rate is a function of the number of completed epochs.</summary>
internal sealed class EpochScheduler : ILearningRateScheduler
{
    private readonly Func<int, double> _rate;
    private int _epoch;

    public EpochScheduler(Func<int, double> rate)
    {
        _rate = rate;
        Current = rate(0);
    }

    public double Current { get; private set; }

    public void OnStep()
    {
    }

    public void OnEpochEnd(double? validationLoss) => Current = _rate(++_epoch);
}

/// <summary>A scheduler whose rate is a function of the number of optimiser steps taken.</summary>
internal sealed class StepScheduler : ILearningRateScheduler
{
    private readonly Func<double, double> _rate;
    private long _step;

    public StepScheduler(Func<double, double> rate)
    {
        _rate = rate;
        Current = rate(0);
    }

    public double Current { get; private set; }

    public void OnStep() => Current = _rate(++_step);

    public void OnEpochEnd(double? validationLoss)
    {
    }
}

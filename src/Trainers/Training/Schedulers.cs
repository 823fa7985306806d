namespace DeepLearning.Trainers.Training;

/// <summary>Checks the length of a saved scheduler state.</summary>
internal static class SchedulerState
{
    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="state"/> has <paramref name="length"/> values.</summary>
    public static IReadOnlyList<double> Expect(IReadOnlyList<double> state, int length, string scheduler)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Count == length
            ? state
            : throw new InvalidDataException($"A saved {scheduler} state has {length} values, not {state.Count}: the checkpoint was written with another learning-rate schedule.");
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

    public double[] SaveState() => [];

    public void RestoreState(IReadOnlyList<double> state) => SchedulerState.Expect(state, 0, "constant learning rate");
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

    public double[] SaveState() => [_epoch];

    public void RestoreState(IReadOnlyList<double> state)
    {
        _epoch = checked((int)SchedulerState.Expect(state, 1, "per-epoch schedule")[0]);
        Current = _rate(_epoch);
    }
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

    public double[] SaveState() => [_step];

    public void RestoreState(IReadOnlyList<double> state)
    {
        _step = checked((long)SchedulerState.Expect(state, 1, "per-step schedule")[0]);
        Current = _rate(_step);
    }
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> (not below <see cref="MinLearningRate"/>)
/// once the validation loss has not improved (strictly decreased below its best) for
/// <see cref="Patience"/> consecutive epochs, then waits another <see cref="Patience"/> epochs before
/// the next reduction (as Keras' <c>ReduceLROnPlateau</c>). It needs a validation set or
/// <see cref="TrainingOptions.ValidationFraction"/>; without one the rate stays constant.
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    /// <summary>Creates a reduce-on-plateau schedule.</summary>
    /// <param name="factor">Factor applied at each reduction. Default 0.1; in (0, 1).</param>
    /// <param name="patience">Epochs without improvement before a reduction. Default 2; at least 1.</param>
    /// <param name="minLearningRate">Lower bound of the rate. Default 0; at least 0 and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public ReduceOnPlateauSchedule(double factor = 0.1, int patience = 2, double minLearningRate = 0)
    {
        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        Validate();
    }

    /// <summary>Factor applied at each reduction. Default 0.1; in (0, 1).</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement of the validation loss before a reduction. Default 2; at least 1.</summary>
    public int Patience { get; }

    /// <summary>Lower bound of the rate. Default 0; at least 0 and finite.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(Factor > 0 && Factor < 1, Factor, nameof(Factor), "in (0, 1)");
        OptionCheck.Require(Patience >= 1, Patience, nameof(Patience), "at least 1");
        OptionCheck.Require(MinLearningRate >= 0 && double.IsFinite(MinLearningRate), MinLearningRate, nameof(MinLearningRate), "at least 0 and finite");
    }

    /// <inheritdoc />
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, int stepsPerEpoch)
        => new Scheduler(this, baseLearningRate);

    private sealed class Scheduler(ReduceOnPlateauSchedule schedule, double baseLearningRate) : ILearningRateScheduler
    {
        private double _best = double.PositiveInfinity;
        private int _badEpochs;

        public double Current { get; private set; } = baseLearningRate;

        public void OnStep()
        {
        }

        public void OnEpochEnd(double? validationLoss)
        {
            if (validationLoss is not { } loss)
            {
                return;
            }

            if (loss < _best)
            {
                _best = loss;
                _badEpochs = 0;
                return;
            }

            if (++_badEpochs >= schedule.Patience)
            {
                Current = Math.Max(Current * schedule.Factor, schedule.MinLearningRate);
                _badEpochs = 0;
            }
        }

        public double[] SaveState() => [Current, _best, _badEpochs];

        public void RestoreState(IReadOnlyList<double> state)
        {
            SchedulerState.Expect(state, 3, "reduce-on-plateau schedule");
            Current = state[0];
            _best = state[1];
            _badEpochs = checked((int)state[2]);
        }
    }
}

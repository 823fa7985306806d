using DeepLearning.Trainers.Tuning.Storage;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// A running trial as its objective sees it: the parameters to try, a way to report intermediate
/// values (the pruner may then stop it) and the cancellation token a pruned trial trips.
/// </summary>
public sealed class Trial
{
    private readonly IStudyStorage _storage;
    private readonly long _study;
    private readonly long _id;
    private readonly TrialPruner? _pruner;
    private readonly bool _maximize;
    private readonly CancellationTokenSource _cancellation = new();

    internal Trial(IStudyStorage storage, long study, ClaimedTrial claimed, TrialPruner? pruner, bool maximize)
    {
        (_storage, _study, _id, _pruner, _maximize) = (storage, study, claimed.Id, pruner, maximize);
        Number = claimed.Number;
        Parameters = TrialParameters.FromJson(claimed.ParametersJson, this);
    }

    /// <summary>0-based number of the trial in its study.</summary>
    public int Number { get; }

    /// <summary>The hyper-parameters to try.</summary>
    public TrialParameters Parameters { get; }

    /// <summary>Cancelled when the pruner stops the trial; pass it to the trainer (<see cref="TrialParameters.ApplyTo{TOptions}"/> does).</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Whether the pruner has stopped the trial.</summary>
    public bool IsPruned { get; private set; }

    /// <summary>The last intermediate value reported, if any (a pruned trial's value).</summary>
    internal double? LastValue { get; private set; }

    /// <summary>
    /// Stores an intermediate value (in the objective's direction) at a step, e.g. the validation
    /// accuracy after an epoch, and asks the study's pruner whether the trial should go on, from
    /// the values every worker stored at that step.
    /// </summary>
    /// <param name="step">The step (epoch), at least 1.</param>
    /// <param name="value">The value; NaN is not stored and does not prune.</param>
    /// <returns><see langword="true"/> to continue; <see langword="false"/> when the trial is pruned (its token is then cancelled).</returns>
    public bool Report(int step, double value)
    {
        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Option step = {step} is invalid: it must be at least 1.");
        }

        if (IsPruned || double.IsNaN(value))
        {
            return !IsPruned;
        }

        LastValue = value;
        _storage.Report(_id, step, value);
        if (_pruner is not null && _pruner.ShouldPrune(Number, step, value, _maximize, s => _storage.ValuesAt(_study, s)))
        {
            IsPruned = true;
            _cancellation.Cancel();
        }

        return !IsPruned;
    }

    /// <summary>
    /// A progress sink for a trainer: each epoch reports its intermediate value (maximised
    /// objectives: the validation metric, else the training metric; minimised: the validation
    /// loss, else the training loss) and then goes on to <paramref name="inner"/>.
    /// </summary>
    internal IProgress<EpochMetrics> Connect(IProgress<EpochMetrics>? inner) => new EpochReporter(this, inner);

    private sealed class EpochReporter(Trial trial, IProgress<EpochMetrics>? inner) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value)
        {
            inner?.Report(value);
            trial.Report(value.Epoch, trial._maximize ? value.ValidationMetric ?? value.TrainingMetric : value.ValidationLoss ?? value.TrainingLoss);
        }
    }
}

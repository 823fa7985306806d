namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Chooses the parameters of a study's trials. Samplers are deterministic (seeded), so every
/// worker that opens a study computes the same trials and enqueues them once.
/// </summary>
public abstract class TrialSampler
{
    private protected TrialSampler()
    {
    }

    /// <summary>The parameters of the study's trials, at most <paramref name="budget"/> of them.</summary>
    internal abstract IReadOnlyList<TrialParameters> Sample(SearchSpace space, int budget);
}

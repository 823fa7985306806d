namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Random search: each trial draws every parameter independently from its distribution. Better
/// than a grid when few parameters matter, because every trial tries a new value of each.
/// </summary>
/// <param name="seed">Seed of the draws; equal seeds give equal trials. Default 1.</param>
public sealed class RandomSampler(int seed = 1) : TrialSampler
{
    /// <summary>Seed of the draws.</summary>
    public int Seed { get; } = seed;

    /// <inheritdoc />
    internal override IReadOnlyList<TrialParameters> Sample(SearchSpace space, int budget)
    {
        var random = new Random(Seed);
        return [.. Enumerable.Range(0, budget).Select(_ => new TrialParameters(space.Dimensions.ToDictionary(d => d.Name, d => d.Sample(random))))];
    }
}

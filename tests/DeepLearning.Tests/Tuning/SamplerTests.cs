using DeepLearning.Trainers.Tuning;

namespace DeepLearning.Tests.Tuning;

/// <summary>Grid and random samplers, and coarse to fine around the optimum of a synthetic objective.</summary>
public sealed class SamplerTests
{
    [Fact]
    public void GridPointsAreEquallySpacedOnEachDimensionsScale()
    {
        var space = new SearchSpace().LogUniform("LearningRate", 1e-4, 1e-1).OneMinusLogUniform("Beta", 0.9, 0.999).Categorical("Optimizer", "Adam", "Sgd");
        var trials = new GridSampler(3, new Dictionary<string, int> { ["LearningRate"] = 4 }).Sample(space, 100);

        Assert.Equal(4 * 3 * 2, trials.Count);
        Assert.Equal(trials.Count, trials.Select(t => t.ToString()).Distinct().Count());
        Assert.Contains(trials, t => t.GetDouble("LearningRate") == 1e-4);
        Assert.Contains(trials, t => t.GetDouble("Beta") == 0.999);
        var rates = trials.Select(t => t.GetDouble("LearningRate")).Distinct().Order().ToArray();
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1], rates, (a, b) => Math.Abs(a - b) < 1e-12 * Math.Max(1, 1 / a));
        var betas = trials.Select(t => t.GetDouble("Beta")).Distinct().Order().ToArray();
        Assert.Equal([0.9, 0.99, 0.999], betas, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void AGridLargerThanTheBudgetRunsASeededSubset()
    {
        var space = new SearchSpace().Uniform("X", 0, 1).Uniform("Y", 0, 1);
        var subset = new GridSampler(5, seed: 2).Sample(space, 7);
        Assert.Equal(7, subset.Select(t => t.ToString()).Distinct().Count());
        Assert.Equal(subset.Select(t => t.ToString()), new GridSampler(5, seed: 2).Sample(space, 7).Select(t => t.ToString()));
        Assert.Contains("'Z'", Assert.Throws<ArgumentException>(() => new GridSampler(2, new Dictionary<string, int> { ["Z"] = 2 }).Sample(space, 4)).Message);
    }

    [Fact]
    public void RandomSearchIsSeeded()
    {
        var space = new SearchSpace().LogUniform("LearningRate", 1e-5, 1).Integer("Width", 8, 512, log: true);
        Assert.Equal(new RandomSampler(4).Sample(space, 5).Select(t => t.ToString()), new RandomSampler(4).Sample(space, 5).Select(t => t.ToString()));
        Assert.NotEqual(new RandomSampler(4).Sample(space, 5).Select(t => t.ToString()), new RandomSampler(5).Sample(space, 5).Select(t => t.ToString()));
    }

    [Fact]
    public void CoarseToFineNarrowsTheSpaceAroundTheOptimum()
    {
        // Objective peaks at learning rate 3e-3 and β = 0.99, each on its own scale.
        static double Objective(TrialParameters p)
            => -Math.Pow(Math.Log10(p.GetDouble("LearningRate") / 3e-3), 2) - Math.Pow(Math.Log10((1 - p.GetDouble("Beta")) / 0.01), 2);

        var coarse = new SearchSpace().LogUniform("LearningRate", 1e-6, 1).OneMinusLogUniform("Beta", 0.5, 0.9999).Categorical("Kind", "a", "b", "c");
        var round1 = new RandomSampler(1).Sample(coarse, 100);
        var best = round1.OrderByDescending(Objective).Take(5).ToList();
        var fine = coarse.NarrowAround(best, factor: 0.25);

        var rate = Bounds(fine, "LearningRate");
        var beta = Bounds(fine, "Beta");
        Assert.InRange(3e-3, rate.Min, rate.Max);
        Assert.InRange(0.99, beta.Min, beta.Max);
        Assert.True(Math.Log10(rate.Max / rate.Min) < 0.6 * 6, $"learning rate still spans {rate.Min}..{rate.Max}");
        Assert.True(Math.Log10((1 - beta.Min) / (1 - beta.Max)) < 0.6 * Math.Log10(0.5 / 1e-4), $"β still spans {beta.Min}..{beta.Max}");
        Assert.Equal(best.Select(t => t.GetString("Kind")).Distinct().Order(), ((CategoricalDimension)fine.Dimensions[2]).Choices.Order());

        var round2 = new RandomSampler(1).Sample(fine, 100);
        Assert.True(Median(round2.Select(Objective)) > Median(round1.Select(Objective)));
        Assert.All(round2, t => Assert.InRange(t.GetDouble("LearningRate"), rate.Min, rate.Max));
    }

    private static NumericDimension Bounds(SearchSpace space, string name)
        => (NumericDimension)space.Dimensions.Single(d => d.Name == name);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

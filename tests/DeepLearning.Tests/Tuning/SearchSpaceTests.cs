using DeepLearning.Trainers.Tuning;

namespace DeepLearning.Tests.Tuning;

/// <summary>Each distribution of a search space is what it claims over 10 000 draws, and bad spaces are refused.</summary>
public sealed class SearchSpaceTests
{
    private const int Draws = 10_000;

    [Fact]
    public void LogUniformPutsAnEqualShareInEachDecade()
    {
        var values = Draw(new SearchSpace().LogUniform("LearningRate", 1e-4, 1), p => p.GetDouble("LearningRate"));
        Assert.All(values, v => Assert.InRange(v, 1e-4, 1));
        var shares = Shares(values, v => (int)Math.Floor(Math.Log10(v)), [-4, -3, -2, -1]);
        Assert.All(shares, s => Assert.InRange(s, 0.23, 0.27));
    }

    [Fact]
    public void OneMinusLogUniformPutsAnEqualShareOfOneMinusBetaInEachDecade()
    {
        var values = Draw(new SearchSpace().OneMinusLogUniform("Beta", 0.9, 0.9999), p => p.GetDouble("Beta"));
        Assert.All(values, v => Assert.InRange(v, 0.9, 0.9999));
        var shares = Shares(values, v => (int)Math.Floor(Math.Log10(1 - v)), [-4, -3, -2]);
        Assert.All(shares, s => Assert.InRange(s, 0.31, 0.36));
    }

    [Fact]
    public void UniformHasAFlatDensity()
    {
        var values = Draw(new SearchSpace().Uniform("Dropout", 0.2, 0.6), p => p.GetDouble("Dropout"));
        Assert.All(values, v => Assert.InRange(v, 0.2, 0.6));
        var shares = Shares(values, v => (int)Math.Floor((v - 0.2) / 0.1), [0, 1, 2, 3]);
        Assert.All(shares, s => Assert.InRange(s, 0.23, 0.27));
    }

    [Fact]
    public void IntegersAreEquallyLikelyOrLogUniform()
    {
        var linear = Draw(new SearchSpace().Integer("Layers", 1, 4), p => p.GetInt("Layers"));
        Assert.All(Shares(linear, v => v, [1, 2, 3, 4]), s => Assert.InRange(s, 0.23, 0.27));

        var log = Draw(new SearchSpace().Integer("Width", 1, 999, log: true), p => p.GetInt("Width"));
        Assert.All(log, v => Assert.InRange(v, 1, 999));
        Assert.All(Shares(log, v => (int)Math.Floor(Math.Log10(v)), [0, 1, 2]), s => Assert.InRange(s, 0.31, 0.36));
    }

    [Fact]
    public void CategoricalChoicesAreEquallyLikely()
    {
        var values = Draw(new SearchSpace().Categorical("Optimizer", "Adam", "Sgd", "Momentum"), p => p.GetString("Optimizer"));
        Assert.All(Shares(values, v => v, ["Adam", "Sgd", "Momentum"]), s => Assert.InRange(s, 0.31, 0.36));
    }

    [Fact]
    public void ParametersAreTypedAndNamed()
    {
        var p = new RandomSampler(3).Sample(new SearchSpace().Integer("Width", 8, 8).Categorical("Kind", "a"), 1)[0];
        Assert.Equal(8, p.GetInt("Width"));
        Assert.Equal(8.0, p.GetDouble("Width"));
        Assert.Equal("a", p.GetString("Kind"));
        Assert.Contains("'Depth'", Assert.Throws<KeyNotFoundException>(() => p.GetInt("Depth")).Message);
        Assert.Throws<InvalidCastException>(() => p.GetDouble("Kind"));
    }

    [Fact]
    public void BadSpacesAreRefusedWithClearMessages()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Study(new SearchSpace(), TuningObjective.Maximizing("Accuracy"))).Message);
        Assert.Contains("LearningRate.max = 0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Uniform("LearningRate", 0.5, 0.1)).Message);
        Assert.Contains("LearningRate.min = 0", Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().LogUniform("LearningRate", 0, 0.1)).Message);
        Assert.Contains("Width.min = -1", Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Integer("Width", -1, 10, log: true)).Message);
        Assert.Contains("Beta.max = 1", Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().OneMinusLogUniform("Beta", 0.9, 1)).Message);
        Assert.Contains("'Beta'", Assert.Throws<ArgumentException>(() => new SearchSpace().Uniform("Beta", 0, 1).Uniform("Beta", 0, 2)).Message);
        Assert.Contains("'State'", Assert.Throws<ArgumentException>(() => new Study(new SearchSpace().Uniform("State", 0, 1), TuningObjective.Maximizing("Accuracy"))).Message);
        Assert.Contains("'Accuracy'", Assert.Throws<ArgumentException>(() => new Study(new SearchSpace().Uniform("Accuracy", 0, 1), TuningObjective.Maximizing("Accuracy"))).Message);
        Assert.Contains("Kind.choices", Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSpace().Categorical("Kind")).Message);
    }

    private static List<T> Draw<T>(SearchSpace space, Func<TrialParameters, T> read)
        => [.. new RandomSampler(7).Sample(space, Draws).Select(read)];

    private static double[] Shares<T, TBin>(List<T> values, Func<T, TBin> bin, TBin[] bins)
        where TBin : notnull
    {
        var counts = values.GroupBy(bin).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(values.Count, bins.Sum(b => counts.GetValueOrDefault(b)));
        return [.. bins.Select(b => counts.GetValueOrDefault(b) / (double)values.Count)];
    }
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// Grid search: every combination of points equally spaced on each parameter's own scale
/// (log-uniform parameters get points equally spaced in decades); categorical parameters take all
/// their choices. When the grid is larger than the trial budget, a seeded random subset of it is run.
/// </summary>
public sealed class GridSampler : TrialSampler
{
    private readonly IReadOnlyDictionary<string, int> _points;

    /// <summary>Creates a grid.</summary>
    /// <param name="pointsPerDimension">Points along each dimension. Default 3; at least 1.</param>
    /// <param name="points">Point counts of particular parameters by name, overriding <paramref name="pointsPerDimension"/>; each at least 1. Default none.</param>
    /// <param name="seed">Seed of the subset drawn when the grid exceeds the budget. Default 1.</param>
    public GridSampler(int pointsPerDimension = 3, IReadOnlyDictionary<string, int>? points = null, int seed = 1)
    {
        OptionCheck.Require(pointsPerDimension >= 1, pointsPerDimension, nameof(pointsPerDimension), "at least 1");
        foreach (var (name, count) in points ?? new Dictionary<string, int>())
        {
            OptionCheck.Require(count >= 1, count, $"{nameof(points)}[{name}]", "at least 1");
        }

        PointsPerDimension = pointsPerDimension;
        _points = points ?? new Dictionary<string, int>();
        Seed = seed;
    }

    /// <summary>Points along each dimension without its own count.</summary>
    public int PointsPerDimension { get; }

    /// <summary>Seed of the subset drawn when the grid exceeds the budget.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    internal override IReadOnlyList<TrialParameters> Sample(SearchSpace space, int budget)
    {
        foreach (var name in _points.Keys.Where(n => !space.Names.Contains(n)))
        {
            throw new ArgumentException($"Option points has a count for '{name}', which is not a parameter of the search space ({string.Join(", ", space.Names)}).", "points");
        }

        IEnumerable<Dictionary<string, object>> combinations = [[]];
        foreach (var dimension in space.Dimensions)
        {
            var values = dimension.Grid(_points.GetValueOrDefault(dimension.Name, PointsPerDimension));
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, object>(c) { [dimension.Name] = v }));
        }

        var grid = combinations.ToList();
        if (grid.Count > budget)
        {
            var random = new Random(Seed);
            grid = [.. grid.Select(c => (Key: random.Next(), Combination: c)).OrderBy(p => p.Key).Take(budget).Select(p => p.Combination)];
        }

        return [.. grid.Select(c => new TrialParameters(c))];
    }
}

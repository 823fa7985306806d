namespace DeepLearning.Trainers.Tuning;

/// <summary>A choice among named values, each drawn with equal probability.</summary>
internal sealed class CategoricalDimension(string name, IReadOnlyList<string> choices) : SearchDimension(name)
{
    /// <summary>The choices, in the order given.</summary>
    public IReadOnlyList<string> Choices { get; } = choices;

    /// <inheritdoc />
    public override object Sample(Random random) => Choices[random.Next(Choices.Count)];

    /// <inheritdoc />
    public override IReadOnlyList<object> Grid(int points) => [.. Choices];

    /// <inheritdoc />
    public override SearchDimension Narrow(IReadOnlyList<object> best, double factor)
        => new CategoricalDimension(Name, [.. Choices.Where(best.Contains)]);

    /// <inheritdoc />
    public override double AxisPosition(object value) => Choices.ToList().IndexOf((string)value);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ~ one of {{{string.Join(", ", Choices)}}}";
}

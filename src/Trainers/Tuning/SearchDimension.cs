namespace DeepLearning.Trainers.Tuning;

/// <summary>One named hyper-parameter of a <see cref="SearchSpace"/> and how it is sampled.</summary>
internal abstract class SearchDimension(string name)
{
    /// <summary>The parameter's name, unique in its space.</summary>
    public string Name { get; } = name;

    /// <summary>Draws one value (a <see cref="double"/> or a <see cref="string"/>).</summary>
    public abstract object Sample(Random random);

    /// <summary>The grid's values along this dimension, equally spaced on its own scale.</summary>
    /// <param name="points">Requested number of points (categorical dimensions give all their choices).</param>
    public abstract IReadOnlyList<object> Grid(int points);

    /// <summary>A narrower dimension of the same kind around the values of the best trials.</summary>
    /// <param name="best">This dimension's values in the best trials (at least one).</param>
    /// <param name="factor">Width of the new range as a fraction of the current one, in (0, 1].</param>
    public abstract SearchDimension Narrow(IReadOnlyList<object> best, double factor);

    /// <summary>Where a value sits on a plot's horizontal axis (categorical dimensions: the choice's index).</summary>
    public abstract double AxisPosition(object value);

    /// <summary>Whether a plot draws this dimension on a logarithmic axis.</summary>
    public virtual bool IsLogarithmic => false;

    /// <summary>Describes the dimension, e.g. <c>LearningRate ~ log-uniform [0.0001, 0.1]</c>.</summary>
    public abstract override string ToString();
}

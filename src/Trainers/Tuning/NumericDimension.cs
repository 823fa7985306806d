using System.Globalization;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// A real or integer dimension in [<see cref="Min"/>, <see cref="Max"/>], uniform on its
/// <see cref="AxisScale"/>: uniform, log-uniform, 1−log-uniform, integer and log-integer.
/// </summary>
internal sealed class NumericDimension(string name, double min, double max, AxisScale scale, bool integer, string kind)
    : SearchDimension(name)
{
    /// <summary>Smallest value.</summary>
    public double Min { get; } = min;

    /// <summary>Largest value.</summary>
    public double Max { get; } = max;

    /// <inheritdoc />
    public override bool IsLogarithmic => scale.IsLogarithmic;

    /// <inheritdoc />
    public override object Sample(Random random)
    {
        var (low, high) = Bounds();
        return Value(low + (random.NextDouble() * (high - low)));
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Grid(int points)
    {
        var low = scale.ToScale(Min);
        var high = scale.ToScale(Max);
        var values = points == 1
            ? [Snap(scale.FromScale((low + high) / 2))]
            : Enumerable.Range(0, points).Select(i => Snap(i == 0 ? Min : i == points - 1 ? Max : scale.FromScale(low + ((high - low) * i / (points - 1))))).ToArray();
        return values.Distinct().Cast<object>().ToArray();
    }

    /// <inheritdoc />
    public override SearchDimension Narrow(IReadOnlyList<object> best, double factor)
    {
        var low = scale.ToScale(Min);
        var high = scale.ToScale(Max);
        var (lower, upper) = (Math.Min(low, high), Math.Max(low, high));
        var positions = best.Select(v => scale.ToScale((double)v)).ToArray();
        var centre = (positions.Min() + positions.Max()) / 2;
        var half = Math.Max(factor * (upper - lower), positions.Max() - positions.Min()) / 2;
        var start = Math.Clamp(centre - half, lower, Math.Max(lower, upper - (2 * half)));
        var end = Math.Min(upper, start + (2 * half));
        var a = scale.FromScale(start);
        var b = scale.FromScale(end);
        var (newMin, newMax) = (Math.Max(Min, Math.Min(a, b)), Math.Min(Max, Math.Max(a, b)));
        if (integer)
        {
            (newMin, newMax) = (Math.Floor(newMin), Math.Ceiling(newMax));
        }

        return new NumericDimension(Name, newMin, newMax, scale, integer, kind);
    }

    /// <inheritdoc />
    public override double AxisPosition(object value) => scale.PlotValue((double)value);

    /// <summary>The title of a plot's axis for this dimension.</summary>
    public string AxisTitle => scale.PlotTitle(Name);

    /// <inheritdoc />
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name} ~ {kind} [{Min:G6}, {Max:G6}]");

    /// <summary>Sampling bounds on the scale; integers widen by half a step so every integer gets its share.</summary>
    private (double Low, double High) Bounds()
        => integer
            ? (scale.ToScale(Min - (IsLogarithmic ? 0 : 0.5)), scale.ToScale(Max + (IsLogarithmic ? 1 : 0.5)))
            : (scale.ToScale(Min), scale.ToScale(Max));

    private object Value(double position)
    {
        var value = scale.FromScale(position);
        return integer
            ? Math.Clamp(IsLogarithmic ? Math.Floor(value) : Math.Round(value, MidpointRounding.AwayFromZero), Min, Max)
            : Math.Clamp(value, Math.Min(Min, Max), Math.Max(Min, Max));
    }

    private double Snap(double value) => integer ? Math.Clamp(Math.Round(value), Min, Max) : value;
}

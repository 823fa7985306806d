namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The scale a numeric dimension is sampled, gridded and narrowed on: values are mapped to the
/// scale, handled uniformly there, and mapped back.
/// </summary>
internal abstract class AxisScale
{
    /// <summary>The identity: uniform sampling.</summary>
    public static readonly AxisScale Linear = new LinearScale();

    /// <summary>log(x): equal shares per decade of x.</summary>
    public static readonly AxisScale Log = new LogScale();

    /// <summary>log(1 − x): equal shares per decade of 1 − x (β close to 1).</summary>
    public static readonly AxisScale OneMinusLog = new OneMinusLogScale();

    /// <summary>Whether plots draw this dimension on a logarithmic axis (of x, or of 1 − x).</summary>
    public abstract bool IsLogarithmic { get; }

    /// <summary>Maps a value to the scale.</summary>
    public abstract double ToScale(double value);

    /// <summary>Maps a position on the scale back to a value.</summary>
    public abstract double FromScale(double position);

    /// <summary>What a plot's axis shows for a value (1 − β for 1−log-uniform parameters, else the value).</summary>
    public virtual double PlotValue(double value) => value;

    /// <summary>The title of a plot's axis for the parameter <paramref name="name"/>.</summary>
    public virtual string PlotTitle(string name) => IsLogarithmic ? name + " (log)" : name;

    private sealed class LinearScale : AxisScale
    {
        public override bool IsLogarithmic => false;

        public override double ToScale(double value) => value;

        public override double FromScale(double position) => position;
    }

    private sealed class LogScale : AxisScale
    {
        public override bool IsLogarithmic => true;

        public override double ToScale(double value) => Math.Log(value);

        public override double FromScale(double position) => Math.Exp(position);
    }

    private sealed class OneMinusLogScale : AxisScale
    {
        public override bool IsLogarithmic => true;

        public override double ToScale(double value) => Math.Log(1 - value);

        public override double FromScale(double position) => 1 - Math.Exp(position);

        public override double PlotValue(double value) => 1 - value;

        public override string PlotTitle(string name) => $"1 − {name} (log)";
    }
}

using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// What the learning-rate finder measured: the rate and loss of each batch of the sweep, the smoothed
/// loss, and the suggested rate. The suggestion follows the classic rule of the range test (Smith 2017;
/// fastai): <see cref="SuggestedLearningRate"/> = the rate at the minimum of the smoothed loss divided
/// by 10, a rate at which the loss still falls fast, well clear of where it blows up.
/// <see cref="SteepestDescentLearningRate"/> is the alternative rule (the steepest fall of the smoothed loss).
/// </summary>
public sealed class LearningRateFinderResult
{
    internal LearningRateFinderResult(IReadOnlyList<double> rates, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed, bool diverged)
    {
        if (rates.Count == 0)
        {
            throw new InvalidOperationException("The learning-rate sweep recorded no batch: the loss was NaN or infinite at the first batch. Check the features for NaN or huge values, or lower MinLearningRate.");
        }

        LearningRates = rates;
        Losses = losses;
        SmoothedLosses = smoothed;
        Diverged = diverged;
        var minimum = 0;
        for (var i = 1; i < smoothed.Count; i++)
        {
            minimum = smoothed[i] < smoothed[minimum] ? i : minimum;
        }

        MinimumLossLearningRate = rates[minimum];
        SuggestedLearningRate = MinimumLossLearningRate / 10;
        SteepestDescentLearningRate = Steepest(rates, smoothed, minimum);
    }

    /// <summary>The rate of each batch, in order (exponentially spaced).</summary>
    public IReadOnlyList<double> LearningRates { get; }

    /// <summary>The training loss of each batch at its rate.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>The bias-corrected exponential moving average of <see cref="Losses"/> (see <see cref="LearningRateFinderOptions.Smoothing"/>).</summary>
    public IReadOnlyList<double> SmoothedLosses { get; }

    /// <summary>Whether the sweep stopped early because the loss diverged (rather than after every batch).</summary>
    public bool Diverged { get; }

    /// <summary>The rate at the minimum of the smoothed loss.</summary>
    public double MinimumLossLearningRate { get; }

    /// <summary>The suggested rate: <see cref="MinimumLossLearningRate"/> / 10.</summary>
    public double SuggestedLearningRate { get; }

    /// <summary>The rate, up to the minimum, where the smoothed loss falls fastest against log(rate); <see cref="SuggestedLearningRate"/> when fewer than three batches lead to the minimum.</summary>
    public double SteepestDescentLearningRate { get; }

    /// <summary>A one-cycle schedule peaking at <see cref="SuggestedLearningRate"/>.</summary>
    /// <param name="warmupFraction">Fraction of the steps spent rising. Default 0.3; in (0, 1).</param>
    /// <param name="divFactor">The initial rate is the peak / divFactor. Default 25; greater than 0.</param>
    /// <param name="finalDivFactor">The final rate is the initial / finalDivFactor. Default 1e4; greater than 0.</param>
    public OneCycleSchedule ToOneCycleSchedule(double warmupFraction = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
        => new(SuggestedLearningRate, warmupFraction, divFactor, finalDivFactor);

    /// <summary>Writes the loss (raw and smoothed) against the rate on a log axis as a PNG, the suggested rate and the minimum marked.</summary>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    public void WritePlot(string path, PlotOptions? options = null)
    {
        var o = options ?? new PlotOptions();
        o.Validate();
        PlotFile.Write(LearningRateFinderPlot.Build(this, o.Title ?? "Learning-rate finder"), path, o.Width, o.Height);
    }

    private static double Steepest(IReadOnlyList<double> rates, IReadOnlyList<double> smoothed, int minimum)
    {
        var best = -1;
        var steepest = 0.0;
        for (var i = 1; i < minimum; i++)
        {
            var slope = (smoothed[i + 1] - smoothed[i - 1]) / (Math.Log(rates[i + 1]) - Math.Log(rates[i - 1]));
            if (slope < steepest)
            {
                steepest = slope;
                best = i;
            }
        }

        return best < 0 ? rates[minimum] / 10 : rates[best];
    }
}

using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// The sweep of the learning-rate finder (<c>trainer.FindLearningRate</c>): the rate of batch <c>i</c> of
/// <c>N</c> is <c>min · (max / min)^(i / (N − 1))</c>, so the rates are evenly spaced on a log axis.
/// </summary>
public sealed class LearningRateFinderOptions
{
    /// <summary>The rate of the first batch. Default 1e-7; greater than 0 and finite.</summary>
    public double MinLearningRate { get; set; } = 1e-7;

    /// <summary>The rate of the last batch. Default 10; finite and greater than <see cref="MinLearningRate"/>.</summary>
    public double MaxLearningRate { get; set; } = 10;

    /// <summary>Mini-batches of the sweep (the data is cycled through as often as needed). Default 100; at least 10.</summary>
    public int Batches { get; set; } = 100;

    /// <summary>
    /// β of the exponential moving average that smooths the loss, with bias correction as fastai does:
    /// <c>avg ← β·avg + (1 − β)·loss</c>, smoothed = <c>avg / (1 − β^n)</c>. Default 0.98; in [0, 1) (0: no smoothing).
    /// </summary>
    public double Smoothing { get; set; } = 0.98;

    /// <summary>The sweep stops when the smoothed loss exceeds this multiple of the best smoothed loss so far (or the loss becomes NaN or infinite). Default 4; greater than 1 and finite.</summary>
    public double DivergenceFactor { get; set; } = 4;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option and its value.</summary>
    public void Validate()
    {
        OptionCheck.Require(MinLearningRate > 0 && double.IsFinite(MinLearningRate), MinLearningRate, nameof(MinLearningRate), "greater than 0 and finite");
        OptionCheck.Require(MaxLearningRate > MinLearningRate && double.IsFinite(MaxLearningRate), MaxLearningRate, nameof(MaxLearningRate), $"finite and greater than {nameof(MinLearningRate)} ({MinLearningRate:G4})");
        OptionCheck.Require(Batches >= 10, Batches, nameof(Batches), "at least 10");
        OptionCheck.Require(Smoothing >= 0 && Smoothing < 1, Smoothing, nameof(Smoothing), "in [0, 1)");
        OptionCheck.Require(DivergenceFactor > 1 && double.IsFinite(DivergenceFactor), DivergenceFactor, nameof(DivergenceFactor), "greater than 1 and finite");
    }

    /// <summary>The rate of batch <paramref name="index"/> (0-based) of the sweep.</summary>
    internal double RateAt(double index) => MinLearningRate * Math.Pow(MaxLearningRate / MinLearningRate, Math.Min(index, Batches - 1) / (Batches - 1));
}

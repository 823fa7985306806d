using System.Diagnostics;
using DeepLearning.Trainers.Training;

namespace DeepLearning.Bench;

/// <summary>What one epoch of a CNN run measured (from <see cref="TrainingOptions.Progress"/>).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Seconds">The loop's own duration of the epoch: the training pass plus, unless <c>--no-validation</c>, the test-set pass.</param>
/// <param name="ImagesPerSecond">Training images over <paramref name="Seconds"/>.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy of the epoch (on augmented batches, dropout on).</param>
/// <param name="TestAccuracy">Test accuracy after the epoch, or <see langword="null"/> without validation.</param>
/// <param name="RssMb">Resident set size at the end of the epoch.</param>
internal sealed record CnnEpoch(int Epoch, double Seconds, double ImagesPerSecond, double TrainLoss, double TrainAccuracy, double? TestAccuracy, double RssMb);

/// <summary>Repeated timings of one way of scoring the test set, in images per second.</summary>
/// <param name="ImagesPerSecond">One figure per timed repetition (after one untimed warm-up pass).</param>
/// <param name="Agreement">Fraction of test images whose arg-max class equals the TorchSharp transformer's (1 for the transformer itself).</param>
internal sealed record InferenceTiming(IReadOnlyList<double> ImagesPerSecond, double Agreement)
{
    /// <summary>The median repetition.</summary>
    public double Median => ImagesPerSecond.Order().ElementAt(ImagesPerSecond.Count / 2);

    /// <summary>The fastest repetition.</summary>
    public double Best => ImagesPerSecond.Max();
}

/// <summary>One way of scoring the test set: a pass fills the arg-max classes and returns the rows read.</summary>
/// <param name="Name">The JSON prefix of its figures.</param>
/// <param name="Rows">Rows of the test set.</param>
/// <param name="Score">Scores every test row once, storing each row's arg-max class; returns the rows read.</param>
internal sealed record ScoringPass(string Name, int Rows, Func<int[], int> Score)
{
    private readonly List<double> _rates = [];

    /// <summary>The arg-max class of each test row, from the latest pass.</summary>
    public int[] Predictions { get; } = new int[Rows];

    /// <summary>Images per second of each timed pass.</summary>
    public IReadOnlyList<double> Rates => _rates;

    /// <summary>Runs one pass; records its rate when <paramref name="timed"/>.</summary>
    public void Run(bool timed)
    {
        var watch = Stopwatch.StartNew();
        int read = Score(Predictions);
        double seconds = watch.Elapsed.TotalSeconds;
        if (timed)
        {
            _rates.Add(read / seconds);
        }
    }
}

/// <summary>A scoring pass and what it owns (a transformer, a session), disposed together.</summary>
/// <param name="Pass">The pass.</param>
/// <param name="Resource">What the pass uses, or <see langword="null"/>.</param>
internal sealed record Owned(ScoringPass Pass, IDisposable? Resource) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Resource?.Dispose();
}

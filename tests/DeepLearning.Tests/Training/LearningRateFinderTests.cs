using DeepLearning.Tests.Analysis;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using Microsoft.ML;
using TorchSharp;
using static DeepLearning.Tests.Estimators.SyntheticRows;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

/// <summary>The learning-rate finder: the sweep's rates, weights left as they were, a sensible suggestion on a convex problem, the plot, the one-cycle feed and bad options.</summary>
public sealed class LearningRateFinderTests : TempDirectoryTest
{
    /// <summary>Linear regression with plain SGD: a convex problem whose stable rates are bounded (about 2 / the largest curvature).</summary>
    private static DeepNeuralNetworkTrainer.Options Linear(double learningRate = 0.01, int epochs = 5) => new()
    {
        HiddenLayers = [],
        Optimizer = OptimizerKind.Sgd,
        LearningRate = learningRate,
        Epochs = epochs,
        BatchSize = 16,
        NumberOfThreads = 1,
    };

    [Fact]
    public void SweepRatesAreExponentiallySpacedFromMinToMax()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Regression(200));
        var result = ml.Regression.Trainers.DeepNeuralNetwork(Linear()).FindLearningRate(data, new LearningRateFinderOptions { MinLearningRate = 1e-5, MaxLearningRate = 1e-2, Batches = 30 });

        Assert.False(result.Diverged);
        Assert.Equal(30, result.LearningRates.Count);
        Assert.Equal(30, result.Losses.Count);
        Assert.Equal(30, result.SmoothedLosses.Count);
        Assert.Equal(1e-5, result.LearningRates[0], 1e-15);
        Assert.Equal(1e-2, result.LearningRates[^1], 1e-12);
        var ratio = Math.Pow(1e3, 1.0 / 29);
        for (var i = 1; i < 30; i++)
        {
            Assert.Equal(ratio, result.LearningRates[i] / result.LearningRates[i - 1], 9);
        }

        // The smoothed loss is the bias-corrected moving average of the raw losses (β = 0.98).
        double average = 0;
        for (var i = 0; i < 30; i++)
        {
            average = (0.98 * average) + (0.02 * result.Losses[i]);
            Assert.Equal(average / (1 - Math.Pow(0.98, i + 1)), result.SmoothedLosses[i], 9);
        }
    }

    [Fact]
    public void SweepRestoresTheNetworksWeightsAndBuffers()
    {
        using var source = TrainingData.Make(96, seed: 3);
        using var network = nn.Sequential(("fc", nn.Linear(TrainingData.Inputs, 8)), ("bn", nn.BatchNorm1d(8)), ("relu", nn.ReLU()), ("out", nn.Linear(8, TrainingData.Classes)));
        var before = network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        var result = LearningRateSweep.Run(network, new CrossEntropyObjective(), source, new TestOptions(), TrainingHooks.None, new LearningRateFinderOptions { MinLearningRate = 1e-3, MaxLearningRate = 1, Batches = 12 }, null);

        Assert.Equal(12, result.LearningRates.Count);
        foreach (var (name, value) in network.state_dict())
        {
            Assert.True(value.allclose(before[name], rtol: 0, atol: 0), $"{name} changed");
            before[name].Dispose();
        }

        Assert.Contains("bn.running_mean", network.state_dict().Keys);
    }

    [Fact]
    public void SuggestedRateTrainsAConvexProblemAndHundredTimesItDiverges()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Regression(400));
        var trainer = ml.Regression.Trainers.DeepNeuralNetwork(Linear());
        var before = trainer.Fit(data);
        var result = trainer.FindLearningRate(data, new LearningRateFinderOptions { MinLearningRate = 1e-5, MaxLearningRate = 100, Batches = 100 });

        // The sweep ran into the unstable region and stopped there; finding the rate changed nothing of the trainer.
        Assert.True(result.Diverged);
        Assert.True(result.LearningRates.Count < 100);
        var after = trainer.Fit(data);
        Assert.Equal(before.History!.Select(e => e.TrainingLoss), after.History!.Select(e => e.TrainingLoss));
        Assert.Equal(Scores(before.Transform(data)), Scores(after.Transform(data)), (a, b) => Math.Abs(a - b) <= 1e-5);
        Assert.InRange(result.SuggestedLearningRate, 1e-3, 1);
        Assert.InRange(result.SteepestDescentLearningRate, 1e-5, result.MinimumLossLearningRate);

        var good = ml.Regression.Trainers.DeepNeuralNetwork(Linear(result.SuggestedLearningRate)).Fit(data).History!;
        // It learns: the loss falls to near the floor of a linear fit (the target has an x² term), below what rate 0.01 reaches.
        Assert.True(good[^1].TrainingLoss < 0.5 * good[0].TrainingLoss && good[^1].TrainingLoss < before.History![^1].TrainingLoss, $"loss {good[0].TrainingLoss:G3} → {good[^1].TrainingLoss:G3} at {result.SuggestedLearningRate:G3}");

        var options = Linear(100 * result.SuggestedLearningRate);
        var diverged = Assert.Throws<InvalidOperationException>(() => ml.Regression.Trainers.DeepNeuralNetwork(options).Fit(data));
        Assert.Contains("Training diverged", diverged.Message);

        // The suggestion feeds the one-cycle schedule as its peak.
        var oneCycle = result.ToOneCycleSchedule();
        Assert.Equal(result.SuggestedLearningRate, oneCycle.MaxLearningRate);
        var scheduled = Linear();
        scheduled.LearningRateSchedule = oneCycle;
        var history = ml.Regression.Trainers.DeepNeuralNetwork(scheduled).Fit(data).History!;
        Assert.True(history[^1].TrainingLoss < 0.5 * history[0].TrainingLoss && history[^1].TrainingLoss < before.History![^1].TrainingLoss);

        var png = Path.Combine(Dir, "lr-finder.png");
        result.WritePlot(png, new PlotOptions { Width = 640, Height = 480 });
        PngFile.AssertPlot(png, 640, 480);
    }

    [Fact]
    public void WorksWithTheConvolutionalTrainer()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(2);
        var rows = Enumerable.Range(0, 64).Select(i => new ImageRow { Features = [.. Enumerable.Range(0, 36).Select(_ => ((i % 2) - 0.5f) + (0.3f * Normal(random)))], Label = i % 2 == 1 }).ToList();
        var trainer = ml.BinaryClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
        {
            Architecture = new Inputs.TinyConvSpec(),
            FeatureShape = [1, 6, 6],
            BatchSize = 16,
            NumberOfThreads = 1,
        });
        var result = trainer.FindLearningRate(ml.Data.LoadFromEnumerable(rows), new LearningRateFinderOptions { Batches = 20 });
        Assert.InRange(result.LearningRates.Count, 2, 20);
        Assert.All(result.Losses.Take(result.Losses.Count - 1), l => Assert.True(double.IsFinite(l)));
    }

    [Theory]
    [InlineData(0.0, 1.0, 100, 0.98, 4.0, "MinLearningRate", "0")]
    [InlineData(-1e-3, 1.0, 100, 0.98, 4.0, "MinLearningRate", "-0.001")]
    [InlineData(1e-2, 1e-2, 100, 0.98, 4.0, "MaxLearningRate", "0.01")]
    [InlineData(1.0, 1e-3, 100, 0.98, 4.0, "MaxLearningRate", "0.001")]
    [InlineData(1e-7, 10.0, 9, 0.98, 4.0, "Batches", "9")]
    [InlineData(1e-7, 10.0, 100, 1.0, 4.0, "Smoothing", "1")]
    [InlineData(1e-7, 10.0, 100, 0.98, 1.0, "DivergenceFactor", "1")]
    public void BadOptionsAreRefusedNamingTheOptionAndValue(double min, double max, int batches, double smoothing, double divergence, string option, string value)
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.DeepNeuralNetwork(Linear());
        var data = ml.Data.LoadFromEnumerable(Regression(20));
        var options = new LearningRateFinderOptions { MinLearningRate = min, MaxLearningRate = max, Batches = batches, Smoothing = smoothing, DivergenceFactor = divergence };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.FindLearningRate(data, options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains($"{option} = {value} is invalid", e.Message);
    }

    private sealed class ImageRow
    {
        [Microsoft.ML.Data.VectorType(36)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}

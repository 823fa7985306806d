using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using Microsoft.ML;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Estimators;

/// <summary>The trainer's data path: cached or streamed, normalised, and fits that run at the same time.</summary>
public sealed class TrainerDataPathTests
{
    private static DeepNeuralNetworkTrainer.Options Options() => new()
    {
        HiddenLayers = [16],
        Dropout = [0.1],
        Epochs = 3,
        BatchSize = 16,
        LearningRate = 0.01,
        Shuffle = false,
        NumberOfThreads = 1,
    };

    [Fact]
    public void DataLargerThanTheCacheBudgetStreamsAndTrainsLikeTheCache()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.Message);
        var data = ml.Data.LoadFromEnumerable(Binary(200));

        var cached = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options()).Fit(data);
        Assert.Contains(log, m => m.Contains("Caching 200 rows", StringComparison.Ordinal));

        var options = Options();
        options.MaxCacheBytes = 1000;
        log.Clear();
        var streamed = ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(data);
        Assert.Contains(log, m => m.Contains("] Streaming: ", StringComparison.Ordinal) && m.Contains("MaxCacheBytes", StringComparison.Ordinal));

        // Same rows in the same order: the same losses and the same model.
        Assert.Equal(cached.History!.Select(e => e.TrainingLoss), streamed.History!.Select(e => e.TrainingLoss));
        Assert.Equal(Scores(cached.Transform(data)), Scores(streamed.Transform(data)));
    }

    [Fact]
    public void CachedModeRefusesDataOverTheBudgetNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var options = Options();
        options.MaxCacheBytes = 1000;
        options.DataSource = BatchSourceMode.Cached;
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(Binary(200))));
        Assert.Contains("MaxCacheBytes = 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizedFeaturesMakeTheModelIndifferentToTheirScale()
    {
        var ml = new MLContext(seed: 1);
        var rows = Regression(200);
        var shifted = rows.Select(r => new RegressionRow { Features = r.Features.Select(v => (v * 1000) + 50).ToArray(), Label = r.Label }).ToList();
        var options = Options();
        options.NormalizeFeatures = true;

        var model = ml.Regression.Trainers.DeepNeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(rows));
        var scaled = ml.Regression.Trainers.DeepNeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(shifted));

        var normalization = scaled.Input.Normalization!;
        Assert.Equal(Size, normalization.Mean.Length);
        Assert.InRange(normalization.Std.Min(), 500, 2000);
        var expected = Scores(model.Transform(ml.Data.LoadFromEnumerable(rows)));
        var actual = Scores(scaled.Transform(ml.Data.LoadFromEnumerable(shifted)));
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 3));
    }

    [Fact]
    public void GivenNormalizationIsSavedAndAppliedWhenScoring()
    {
        var ml = new MLContext(seed: 1);
        var options = Options();
        options.FeatureNormalization = new InputNormalization([1f], [4f]);
        var data = ml.Data.LoadFromEnumerable(Binary(100));
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(data);
        Assert.Equal(options.FeatureNormalization, model.Input.Normalization);

        var path = Path.Combine(Path.GetTempPath(), $"dl-norm-{Guid.NewGuid()}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = (Transforms.Scoring.NetworkPredictionTransformer)ml.Model.Load(path, out _);
            Assert.Equal([1f, 4f], [loaded.Input.Normalization!.Mean[0], loaded.Input.Normalization.Std[0]]);
            Assert.Equal(Scores(model.Transform(data)), Scores(loaded.Transform(data)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TwoFitsOnTwoThreadsGiveTheModelsOfSequentialFits()
    {
        var data = new MLContext().Data.LoadFromEnumerable(Classes(120));
        float[] Fit(int seed)
        {
            var ml = new MLContext(seed: seed);
            var options = Options();
            options.Seed = seed;
            options.Shuffle = true;
            var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options)).Fit(data);
            return Scores(model.Transform(data));
        }

        var sequential = new[] { Fit(3), Fit(4) };
        var concurrent = await Task.WhenAll(Task.Run(() => Fit(3)), Task.Run(() => Fit(4)));
        Assert.Equal(sequential[0], concurrent[0]);
        Assert.Equal(sequential[1], concurrent[1]);
        Assert.NotEqual(sequential[0], sequential[1]);
    }
}

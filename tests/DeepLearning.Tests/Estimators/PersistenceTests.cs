using DeepLearning.Transforms.Heads;
using System.Diagnostics;
using System.IO.Compression;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Estimators;

public sealed class PersistenceTests : TempDirectoryTest
{

    private static DeepNeuralNetworkTrainer.Options Small() => new()
    {
        HiddenLayers = [16, 8],
        BatchNormalization = true,
        Dropout = [0.1],
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 0.01,
        NumberOfThreads = 1,
    };

    private (MLContext Ml, IDataView Data, ITransformer Model, string Path) TrainMulticlass()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(120));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Small()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var path = Path.Combine(Dir, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        return (ml, data, model, path);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalScoresLabelsAndHistory()
    {
        var (ml, data, model, path) = TrainMulticlass();
        var loaded = new MLContext().Model.Load(path, out var schema);
        Assert.Equal(data.Schema.Count, schema.Count);
        Assert.Equal(Scores(model.Transform(data)), Scores(loaded.Transform(data)));

        var before = ml.Data.CreateEnumerable<MulticlassPrediction>(model.Transform(data), false).Select(p => p.PredictedLabel);
        var after = ml.Data.CreateEnumerable<MulticlassPrediction>(loaded.Transform(data), false).Select(p => p.PredictedLabel);
        Assert.Equal(before, after);

        var original = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
        var reloaded = ((IEnumerable<ITransformer>)loaded).OfType<NetworkPredictionTransformer>().Single();
        Assert.Equal(original.Spec.ToJson(), reloaded.Spec.ToJson());
        Assert.Equal(original.History!.Select(e => e.TrainingLoss), reloaded.History!.Select(e => e.TrainingLoss));
        Assert.Equal(((MulticlassClassificationHead)original.Head).Labels!.Values, ((MulticlassClassificationHead)reloaded.Head).Labels!.Values);
    }

    [Fact]
    public void BinaryAndRegressionModelsRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var binary = ml.Data.LoadFromEnumerable(Binary(100));
        var regression = ml.Data.LoadFromEnumerable(Regression(100));
        foreach (var (data, model) in new[]
        {
            (binary, (ITransformer)ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small()).Fit(binary)),
            (regression, (ITransformer)ml.Regression.Trainers.DeepNeuralNetwork(Small()).Fit(regression)),
        })
        {
            var path = Path.Combine(Dir, Guid.NewGuid() + ".zip");
            ml.Model.Save(model, data.Schema, path);
            var loaded = ml.Model.Load(path, out _);
            Assert.Equal(Scores(model.Transform(data)), Scores(loaded.Transform(data)));
        }
    }

    [Fact]
    public async Task ModelSavedHereLoadsInAnotherProcessWithIdenticalScores()
    {
        // An app scores with the network transformer alone: its input needs only the features.
        var (ml, data, chain, _) = TrainMulticlass();
        var model = ((IEnumerable<ITransformer>)chain).OfType<NetworkPredictionTransformer>().Single();
        var path = Path.Combine(Dir, "network.zip");
        ml.Model.Save(model, data.Schema, path);
        var rows = Classes(120);
        var features = Path.Combine(Dir, "features.bin");
        using (var w = new BinaryWriter(File.Create(features)))
        {
            w.Write(rows.Count);
            w.Write(Size);
            foreach (var v in rows.SelectMany(r => r.Features))
            {
                w.Write(v);
            }
        }

        var scoresPath = Path.Combine(Dir, "scores.bin");
        var loader = ModelLoaderApp.Path;
        var start = new ProcessStartInfo("dotnet", ["exec", loader, path, features, scoresPath]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"loader failed: {await stderr}");

        var bytes = File.ReadAllBytes(scoresPath);
        var other = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, other, 0, bytes.Length);
        Assert.Equal(Scores(model.Transform(data)), other);
    }

    [Fact]
    public void CorruptZipGivesAClearException()
    {
        var path = Path.Combine(Dir, "garbage.zip");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        var garbage = Assert.Throws<FormatException>(() => new MLContext().Model.Load(path, out _));
        Assert.Contains("zip", garbage.Message, StringComparison.OrdinalIgnoreCase);

        var (_, _, _, good) = TrainMulticlass();
        var truncated = Path.Combine(Dir, "truncated.zip");
        var goodBytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, goodBytes[..(goodBytes.Length / 2)]);
        var error = Assert.Throws<FormatException>(() => new MLContext().Model.Load(truncated, out _));
        Assert.Contains("zip", error.Message, StringComparison.OrdinalIgnoreCase);

        // The original file is untouched by the failed loads.
        Assert.NotNull(new MLContext().Model.Load(good, out _));
    }
}

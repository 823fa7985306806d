using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Tasks;

/// <summary>What happens with NaN features at scoring time and with odd labels at training time, for every task alike.</summary>
public sealed class DataCheckTests
{
    private static DeepNeuralNetworkTrainer.Options Options() => new() { HiddenLayers = [8], Epochs = 2, BatchSize = 32, NumberOfThreads = 1 };

    [Fact]
    public void OneNaNRowInABatchedTransformScoresAsNaNAndEveryOtherRowIsScored()
    {
        var ml = new MLContext(seed: 1);
        var options = Options();
        options.Epochs = 20;
        options.LearningRate = 0.01;
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options))
            .Fit(ml.Data.LoadFromEnumerable(Classes(90)));
        var rows = Classes(2500, seed: 3);
        rows[1234].Features[5] = float.NaN;
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));

        var scores = Scores(scored).Chunk(ClassNames.Length).ToArray();
        Assert.Equal(2500, scores.Length);
        Assert.All(scores[1234], s => Assert.True(float.IsNaN(s)));
        Assert.All(scores.Where((_, i) => i != 1234), row => Assert.All(row, s => Assert.True(float.IsFinite(s))));

        var predicted = scored.GetColumn<uint>(scored.Schema["PredictedLabel"]).ToArray();
        Assert.Equal(0u, predicted[1234]);
        Assert.All(predicted.Where((_, i) => i != 1234), k => Assert.InRange(k, 1u, 3u));

        // ML.NET's evaluator still runs over the other rows.
        var accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        Assert.True(accuracy > 0.8, $"accuracy {accuracy}");
    }

    [Fact]
    public void ANaNRowThroughAPredictionEngineKeepsItsClearError()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options()).Fit(ml.Data.LoadFromEnumerable(Binary(64)));
        var engine = ml.Model.CreatePredictionEngine<FreeRow, BinaryOutput>(model);
        var row = new FreeRow { Features = new float[Size] };
        row.Features[1] = float.PositiveInfinity;
        var error = Assert.Throws<InvalidOperationException>(() => engine.Predict(row));
        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN or infinite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassIndicesThatNeverOccurAreAWarningInTheLogAndTheHistory()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.Message);
        var rows = Enumerable.Range(0, 100).Select(i => new IndexRow { Features = Vector(new Random(i)), Label = i == 7 ? 12 : i % 10 }).ToList();
        var model = ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Options()).Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.Equal(13, model.Spec.OutputSize);
        var warning = Assert.Single(model.History!.Warnings);
        Assert.Contains("'Label'", warning, StringComparison.Ordinal);
        Assert.Contains("class 10, class 11", warning, StringComparison.Ordinal);
        Assert.Contains(log, m => m.Contains(warning, StringComparison.Ordinal));
    }

    public static TheoryData<string> Tasks() => ["binary", "multiclass", "embedding"];

    [Theory]
    [MemberData(nameof(Tasks))]
    public void ALabelWithOneClassIsRefusedNamingTheColumn(string task)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(i => new IndexRow { Features = Vector(new Random(i)), Label = 1 }));
        IEstimator<ITransformer> trainer = task switch
        {
            "binary" => ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options()),
            "multiclass" => ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Options()),
            _ => ml.Transforms.DeepNeuralNetworkEmbedding(Options(), dimension: 4),
        };
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data));
        Assert.Contains("Label column 'Label' holds only one class", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidationLabelOutsideTheTrainingClassesIsRefusedNamingTheValue()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 40).Select(i => new IndexRow { Features = Vector(new Random(i)), Label = i % 3 }));
        var validation = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new IndexRow { Features = Vector(new Random(i)), Label = i == 4 ? 5 : i % 3 }));
        var error = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Options()).Fit(train, validation));
        Assert.Contains("class 5 in row 4", error.Message, StringComparison.Ordinal);
    }

    private sealed class IndexRow
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class BinaryOutput
    {
        public bool PredictedLabel { get; set; }
    }
}

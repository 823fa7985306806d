using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Heads;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Estimators;

public class DeepNeuralNetworkTrainerTests
{
    private static DeepNeuralNetworkTrainer.Options Small(int epochs = 15) => new()
    {
        HiddenLayers = [16],
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 0.01,
        NumberOfThreads = 1,
    };

    private static IEstimator<ITransformer> MulticlassPipeline(MLContext ml, DeepNeuralNetworkTrainer.Options options)
        => ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [Fact]
    public void MulticlassLearnsSeparableClassesAndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(300));
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 1);
        var model = MulticlassPipeline(ml, Small()).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
        Assert.True(metrics.LogLoss < 0.5, $"log-loss {metrics.LogLoss}");

        // Class names flow back through MapKeyToValue, and Score carries them as slot names.
        var predictions = ml.Data.CreateEnumerable<MulticlassPrediction>(scored, reuseRowObject: false).ToList();
        Assert.All(predictions, p => Assert.Contains(p.PredictedLabel, ClassNames));
        Assert.All(predictions, p => Assert.Equal(1f, p.Score.Sum(), 3));
        var slotNames = default(Microsoft.ML.Data.VBuffer<ReadOnlyMemory<char>>);
        scored.Schema["Score"].Annotations.GetValue("SlotNames", ref slotNames);
        Assert.Equal(ClassNames.OrderBy(n => Array.IndexOf(ClassNames, n)), slotNames.DenseValues().Select(v => v.ToString()));
    }

    [Fact]
    public void BinaryLearnsALinearBoundaryAndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(Binary(400)), 0.25, seed: 1);
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small()).Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve}");
    }

    [Fact]
    public void LogisticRegressionIsTheZeroHiddenLayerCase()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(Binary(400)), 0.25, seed: 1);
        var options = Small();
        options.HiddenLayers = [];
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(split.TrainSet);
        Assert.Equal(Size + 1, model.Network.parameters().Sum(p => p.numel()));
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(split.TestSet)).Accuracy > 0.9);
    }

    [Fact]
    public void RegressionFitsANonLinearFunction()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(Regression(600)), 0.25, seed: 1);
        var options = Small(40);
        options.HiddenLayers = [32, 16];
        var model = ml.Regression.Trainers.DeepNeuralNetwork(options).Fit(split.TrainSet);
        var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
    }

    [Fact]
    public void CrossValidateWorksOnOurOutputs()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(240));
        var results = ml.MulticlassClassification.CrossValidate(data, MulticlassPipeline(ml, Small(8)), numberOfFolds: 3);
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Metrics.MicroAccuracy > 0.8, $"fold accuracy {r.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void TransformerExposesNetworkHistoryAndLogs()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        var options = Small(4);
        options.ValidationFraction = 0.2;
        var transformer = ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(Binary(200)));
        Assert.IsType<DeepNeuralNetworkSpec>(transformer.Spec);
        Assert.NotNull(transformer.History);
        Assert.Equal(4, transformer.History!.Count);
        Assert.All(transformer.History, e => Assert.NotNull(e.ValidationLoss));
        Assert.Contains(messages, m => m.Contains("4/4", StringComparison.Ordinal) || m.Contains("epoch 4", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void PredictionEngineMatchesBatchedTransform()
    {
        var ml = new MLContext(seed: 1);
        var rows = Classes(90);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = MulticlassPipeline(ml, Small(5)).Fit(data);
        var batched = ml.Data.CreateEnumerable<MulticlassPrediction>(model.Transform(data), reuseRowObject: false).ToList();
        var engine = ml.Model.CreatePredictionEngine<ClassRow, MulticlassPrediction>(model);
        for (var i = 0; i < rows.Count; i += 7)
        {
            var single = engine.Predict(rows[i]);
            Assert.Equal(batched[i].PredictedLabel, single.PredictedLabel);
            // One row and a batch of rows take different BLAS kernels: equal up to rounding.
            Assert.Equal(batched[i].Score.Length, single.Score.Length);
            for (var k = 0; k < single.Score.Length; k++)
            {
                Assert.Equal(batched[i].Score[k], single.Score[k], 5);
            }
        }
    }

    [Fact]
    public void ScoringLeavesNoLiveTensors()
    {
        var ml = new MLContext(seed: 1);
        var rows = Classes(300);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = MulticlassPipeline(ml, Small(2)).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<ClassRow, MulticlassPrediction>(model);
        void ScoreEverything()
        {
            Assert.Equal(rows.Count * ClassNames.Length, Scores(model.Transform(data)).Length);
            foreach (var row in rows.Take(20))
            {
                engine.Predict(row);
            }
        }

        ScoreEverything(); // warm-up
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++)
        {
            ScoreEverything();
        }

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void SameSeedGivesIdenticalModels()
    {
        float[] Train()
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(Binary(200));
            var options = Small(3);
            options.Dropout = [0.3];
            return Scores(ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(data).Transform(data));
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void FitWithValidationSetStopsEarly()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Binary(200, seed: 1));
        var validation = ml.Data.LoadFromEnumerable(Binary(100, seed: 2));
        var options = Small(30);
        options.EarlyStoppingPatience = 2;
        options.LearningRate = 0.05;
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(train, validation);
        var history = model.History!;
        Assert.All(history, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(history.StoppedEarly, $"ran all {history.Count} epochs");
        Assert.True(history.Count < 30);

        // Patience 2: the best epoch is two before the last, and its weights are the ones kept.
        Assert.Equal(history.Count - 2, history.BestEpoch);
        var best = history[history.BestEpoch - 1].ValidationLoss!.Value;
        Assert.True(history.Skip(history.BestEpoch).All(e => e.ValidationLoss >= best));
        var scored = ml.Data.CreateEnumerable<BinaryScore>(model.Transform(validation), false).ToList();
        var labels = Binary(100, seed: 2).Select(r => r.Label).ToList();
        var loss = scored.Zip(labels, (p, y) => -Math.Log(Math.Clamp(y ? p.Probability : 1 - p.Probability, 1e-12, 1))).Average();
        Assert.Equal(best, loss, 4);
    }

    private sealed class BinaryScore
    {
        public float Probability { get; set; }
    }

    public static TheoryData<Action<DeepNeuralNetworkTrainer.Options>, string> InvalidOptions => new()
    {
        { o => o.Epochs = 0, nameof(TrainingOptions.Epochs) },
        { o => o.BatchSize = -1, nameof(TrainingOptions.BatchSize) },
        { o => o.LearningRate = double.NaN, nameof(TrainingOptions.LearningRate) },
        { o => o.Optimizer = (OptimizerKind)99, nameof(TrainingOptions.Optimizer) },
        { o => o.Activation = (Activation)42, nameof(DeepNeuralNetworkTrainer.Options.Activation) },
        { o => o.Initialization = (WeightInitialization)42, nameof(DeepNeuralNetworkTrainer.Options.Initialization) },
        { o => o.HiddenLayers = [16, 0], "HiddenLayers[1]" },
        { o => o.Dropout = [1.5], "Dropout[0]" },
        { o => o.ValidationFraction = 1, nameof(TrainingOptions.ValidationFraction) },
        { o => o.NumberOfThreads = 0, nameof(TrainingOptions.NumberOfThreads) },
        { o => o.FeatureColumnName = "", nameof(NetworkTrainerOptions.FeatureColumnName) },
        { o => o.FeatureNormalization = new([0f], [0f, 1f]), "FeatureNormalization.Std.Length" },
        { o => o.Device = "gpu0", nameof(TrainingOptions.Device) },
        { o => o.Device = "cuda", nameof(TrainingOptions.Device) },
        { o => o.EarlyStoppingMonitor = (EarlyStoppingMonitor)7, nameof(TrainingOptions.EarlyStoppingMonitor) },
        { o => o.MaxCacheBytes = 0, nameof(NetworkTrainerOptions.MaxCacheBytes) },
        { o => o.LabelColumnName = " ", nameof(NetworkTrainerOptions.LabelColumnName) },
        { o => o.DataSource = (BatchSourceMode)5, nameof(NetworkTrainerOptions.DataSource) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsThrowNamingTheOption(Action<DeepNeuralNetworkTrainer.Options> change, string option)
    {
        var ml = new MLContext();
        var options = Small();
        change(options);
        var error = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options));
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTrainingDataThrows()
    {
        var ml = new MLContext();
        var empty = ml.Data.LoadFromEnumerable(new List<BinaryRow>());
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small()).Fit(empty));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNFeatureInTrainingDataThrowsNamingTheColumn()
    {
        var ml = new MLContext();
        var rows = Binary(50);
        rows[7].Features[3] = float.NaN;
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextLabelWithoutKeyMappingThrowsNamingTheColumn()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Classes(30));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Small()).Fit(data));
        Assert.Contains("'Label'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MapValueToKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryLabelOutsideZeroOneThrowsNamingTheValue()
    {
        var ml = new MLContext();
        var rows = Regression(30);
        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Label'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"value {rows[0].Label.ToString(System.Globalization.CultureInfo.InvariantCulture)} in row 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFeatureColumnThrowsNamingIt()
    {
        var ml = new MLContext();
        var options = Small();
        options.FeatureColumnName = "Pixels";
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.DeepNeuralNetwork(options).Fit(ml.Data.LoadFromEnumerable(Binary(20))));
        Assert.Contains("'Pixels'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongVectorSizeAtPredictionThrowsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small(2)).Fit(ml.Data.LoadFromEnumerable(Binary(64)));
        var engine = ml.Model.CreatePredictionEngine<FreeRow, BinaryPrediction>(model);
        var error = Assert.Throws<InvalidOperationException>(() => engine.Predict(new FreeRow { Features = new float[5] }));
        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Size}", error.Message, StringComparison.Ordinal);

        var nan = new float[Size];
        nan[2] = float.NaN;
        var nanError = Assert.Throws<InvalidOperationException>(() => engine.Predict(new FreeRow { Features = nan }));
        Assert.Contains("NaN", nanError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongKnownVectorSizeAtTransformThrowsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Small(2)).Fit(ml.Data.LoadFromEnumerable(Binary(64)));
        var other = ml.Data.LoadFromEnumerable(new[] { new WideRow() });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(other));
        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimatorSchemaPropagatesThroughThePipeline()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Classes(10));
        var shape = MulticlassPipeline(ml, Small()).GetOutputSchema(DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(data.Schema));
        var score = shape.Single(c => c.Name == HeadColumnNames.Score);
        Assert.Equal(Microsoft.ML.SchemaShape.Column.VectorKind.Vector, score.Kind);
        // MapKeyToValue after the trainer only accepts a key with KeyValues: the label's names flowed through.
        var predicted = shape.Last(c => c.Name == HeadColumnNames.PredictedLabel);
        Assert.False(predicted.IsKey);
        Assert.Equal(Microsoft.ML.Data.TextDataViewType.Instance, predicted.ItemType);

        var options = Small();
        options.FeatureColumnName = "Pixels";
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options).GetOutputSchema(DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(data.Schema)));
        Assert.Contains("'Pixels'", error.Message, StringComparison.Ordinal);
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public sealed class WideRow
    {
        [Microsoft.ML.Data.VectorType(Size + 1)]
        public float[] Features { get; set; } = new float[Size + 1];
    }
}

using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Onnx.OnnxScoring;
using static DeepLearning.Tests.Tasks.MultiTaskRows;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Tasks;

/// <summary>The multi-task pair: masked loss and metric against hand computations, training, Evaluate, persistence, ONNX, bad input.</summary>
public sealed class MultiTaskBinaryClassificationTests : TempDirectoryTest
{
    private static readonly float[,] Logits = { { 0.5f, -1.0f, 2.0f }, { 1.5f, 0.3f, -0.7f }, { -0.2f, 0.8f, 1.1f }, { 2.5f, -0.4f, -1.6f } };
    private static readonly float[,] Targets = { { 1, 0, 1 }, { float.NaN, 1, 0 }, { 0, float.NaN, 1 }, { float.NaN, float.NaN, 0 } };

    private static DeepNeuralNetworkTrainer.Options Options() => TaskPairTests.Options();

    [Fact]
    public void MaskedLossIsTheSumOverTasksOfTheMeanCrossEntropyOverPresentLabels()
    {
        var task = new MultiTaskBinaryClassificationTask(Labels);
        using var output = Tensor(Logits).requires_grad_();
        using var target = Tensor(Targets);
        using var loss = task.Loss(output, target);
        Assert.Equal(HandLoss(Logits, Targets, [0, 1, 2, 3]), loss.item<float>(), 5);

        // A missing label sends no gradient to its logit.
        loss.backward();
        var gradient = output.grad!.data<float>().ToArray();
        for (var i = 0; i < Targets.Length; i++)
        {
            Assert.Equal(float.IsNaN(Targets[i / 3, i % 3]), gradient[i] == 0);
        }

        // A batch in which a task has no label at all (task 0 in rows 1 and 3): that task adds 0.
        using var rows = tensor(new long[] { 1, 3 });
        using var partial = task.Loss(output.detach().index_select(0, rows), target.index_select(0, rows));
        Assert.Equal(HandLoss(Logits, Targets, [1, 3]), partial.item<float>(), 5);
    }

    [Fact]
    public void MetricIsEachTasksAccuracyOverPresentLabelsAndTheirMean()
    {
        var metric = new MultiTaskBinaryClassificationTask(Labels).CreateMetric();
        using (var output = Tensor(Logits))
        using (var target = Tensor(Targets))
        {
            metric.Update(output, target);
        }

        // Pedestrian: rows 0 (0.5 → 1 ✓), 2 (−0.2 → 0 ✓); Car: rows 0 (−1 → 0 ✓), 1 (0.3 → 1 ✓);
        // StopSign: 2 → 1 ✓, −0.7 → 0 ✓, 1.1 → 1 ✓, −1.6 → 0 ✓ … then one wrong row per task below.
        using (var output = Tensor(new float[,] { { -1f, -1f, -1f } }))
        using (var target = Tensor(new float[,] { { 1, 1, 1 } }))
        {
            metric.Update(output, target);
        }

        var byTask = metric.ComputeByTask();
        Assert.Equal(Labels, byTask.Keys);
        Assert.Equal(2.0 / 3, byTask["Pedestrian"], 10);
        Assert.Equal(2.0 / 3, byTask["Car"], 10);
        Assert.Equal(4.0 / 5, byTask["StopSign"], 10);
        Assert.Equal(((2.0 / 3) + (2.0 / 3) + 0.8) / 3, metric.Compute(), 10);
    }

    [Fact]
    public void TrainsEveryTaskWellAboveChanceAndEachTaskEvaluatesWithMissingLabelsSkipped()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Scenes(400));
        var test = ml.Data.LoadFromEnumerable(Scenes(300, seed: 2));
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetworkMultiTask(Labels, Options()).Fit(train, test);
        var head = Assert.IsType<MultiTaskBinaryClassificationHead>(model.Head);
        Assert.Equal(Labels, head.LabelColumnNames);

        // Per-task metrics in the history, whose mean is the epoch's metric.
        var last = model.History![^1];
        Assert.Equal(Labels, last.TrainingMetricByTask!.Keys);
        Assert.Equal(Labels, last.ValidationMetricByTask!.Keys);
        Assert.Equal(last.ValidationMetricByTask.Values.Average(), last.ValidationMetric!.Value, 10);

        var scored = model.Transform(test);
        foreach (var label in Labels)
        {
            var metrics = Evaluate(ml, scored, label);
            Assert.True(metrics.Accuracy > 0.85, $"{label}: accuracy {metrics.Accuracy:F3}");
            Assert.Equal(last.ValidationMetricByTask[label], metrics.Accuracy, 6);

            // ML.NET's evaluator skips rows whose Single label is NaN: the same metrics as on the rows with a label.
            var counted = metrics.ConfusionMatrix.Counts.SelectMany(c => c).Sum();
            var boolean = label == "StopSign";
            var labelled = boolean ? scored : ml.Data.FilterRowsByMissingValues(scored, label);
            var present = boolean ? 300 : Column<float>(test, label).Count(v => !float.IsNaN(v));
            Assert.InRange(present, 150, 300);
            Assert.Equal(present, counted);
            Assert.Equal(Evaluate(ml, labelled, label).AreaUnderRocCurve, metrics.AreaUnderRocCurve, 10);
        }
    }

    [Fact]
    public void SavedAndLoadedModelScoresIdenticallyAndOnnxMatches()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scenes(120));
        var options = Options();
        options.Epochs = 3;
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetworkMultiTask(Labels, options).Fit(data);
        var path = Path.Combine(Dir, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var history = Assert.IsType<NetworkPredictionTransformer>(loaded).History!;
        Assert.Equal(model.History![^1].TrainingMetricByTask!, history[^1].TrainingMetricByTask!);

        // The checkpoint format keeps them too.
        using (var stream = new MemoryStream())
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                model.History.Write(writer);
            }

            stream.Position = 0;
            using var reader = new BinaryReader(stream);
            var read = DeepLearning.Transforms.Models.TrainingHistory.Read(reader);
            Assert.Equal(model.History[^1].TrainingMetricByTask!, read[^1].TrainingMetricByTask!);
            Assert.Null(read[^1].ValidationMetricByTask);
        }

        var expected = model.Transform(data);
        var reloaded = loaded.Transform(data);
        var onnx = Convert(ml, model, data);
        var viaRuntime = ThroughOnnxRuntime(onnx, data);
        foreach (var label in Labels)
        {
            var score = MultiTaskBinaryClassificationHead.ScoreColumn(label);
            var probability = MultiTaskBinaryClassificationHead.ProbabilityColumn(label);
            var predicted = MultiTaskBinaryClassificationHead.PredictedLabelColumn(label);
            Assert.Equal(Column<float>(expected, score), Column<float>(reloaded, score));
            Assert.Equal(Column<float>(expected, probability), Column<float>(reloaded, probability));
            Assert.Equal(Column<bool>(expected, predicted), Column<bool>(reloaded, predicted));

            Assert.InRange(MaxAbsDiff(Column<float>(expected, score), (float[])viaRuntime[$"{score}.output"]), 0, 1e-5);
            Assert.InRange(MaxAbsDiff(Column<float>(expected, probability), (float[])viaRuntime[$"{probability}.output"]), 0, 1e-6);
            Assert.Equal(Column<bool>(expected, predicted), (bool[])viaRuntime[$"{predicted}.output"]);
        }

        Assert.True(Column<bool>(expected, "Car.PredictedLabel").Distinct().Count() == 2, "a constant prediction cannot show that labels agree");
    }

    [Fact]
    public void ConvolutionalTrainerLearnsSeveralImageTags()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 240).Select(_ =>
        {
            var bright = random.NextDouble() < 0.5;
            var textured = random.NextDouble() < 0.5;
            var pixels = Enumerable.Range(0, 36).Select(_ => (bright ? 0.7f : -0.7f) + ((textured ? 1f : 0.1f) * Estimators.SyntheticRows.Normal(random))).ToArray();
            return new ImageRow { Features = pixels, Bright = bright, Textured = textured ? 1 : random.NextDouble() < 0.2 ? float.NaN : 0 };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.ConvolutionalNeuralNetworkMultiTask(["Bright", "Textured"], new ConvolutionalNeuralNetworkTrainer.Options
        {
            Architecture = new Inputs.TinyConvSpec(),
            FeatureShape = [1, 6, 6],
            Epochs = 15,
            BatchSize = 32,
            LearningRate = 0.03,
            NumberOfThreads = 1,
        }).Fit(data);
        var scored = model.Transform(data);
        Assert.True(Evaluate(ml, scored, "Bright").Accuracy > 0.85);
        Assert.True(Evaluate(ml, scored, "Textured").Accuracy > 0.75);
    }

    [Fact]
    public void BadLabelsAreRefusedNamingTheColumnAndValue()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Scenes(40));
        DeepNeuralNetworkTrainer Trainer(params string[] labels) => ml.BinaryClassification.Trainers.DeepNeuralNetworkMultiTask(labels, Options());

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer("Pedestrian", "Bicycle").Fit(data));
        Assert.Contains("'Bicycle' was not found", missing.Message);
        var shape = DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(data.Schema);
        Assert.Contains("'Bicycle' was not found", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer("Car", "Bicycle").GetOutputSchema(shape)).Message);
        Assert.Equal(6, Trainer("Car", "StopSign").GetOutputSchema(shape).Count(c => c.Name.StartsWith("Car.", StringComparison.Ordinal) || c.Name.StartsWith("StopSign.", StringComparison.Ordinal)));

        var keyed = ml.Transforms.Conversion.MapValueToKey("Car").Fit(data).Transform(data);
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer("Car").Fit(keyed));
        Assert.Contains("'Car' is of type Key", wrongType.Message);
        Assert.Contains("Boolean or Single 0/1 (NaN for a missing label)", wrongType.Message);

        var rows = Scenes(40);
        rows[7].Car = 2;
        var two = Assert.Throws<InvalidOperationException>(() => Trainer("Pedestrian", "Car").Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Label column 'Car' has the value 2 in row 7", two.Message);
        Assert.Contains("0, 1 or NaN", two.Message);

        rows = Scenes(40);
        rows.ForEach(r => r.Pedestrian = float.NaN);
        var none = Assert.Throws<InvalidOperationException>(() => Trainer("Pedestrian", "Car").Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Label column 'Pedestrian' has no label in any of the 40 rows", none.Message);

        rows = Scenes(40);
        rows.ForEach(r => r.Car = float.IsNaN(r.Car) ? r.Car : 1);
        var one = Assert.Throws<InvalidOperationException>(() => Trainer("Car").Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Label column 'Car' holds only the value 1", one.Message);

        var empty = Assert.Throws<InvalidOperationException>(() => Trainer("Car").Fit(ml.Data.LoadFromEnumerable(new List<SceneRow>())));
        Assert.Contains("The data is empty", empty.Message);

        Assert.Equal("labelColumnNames.Count", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer()).ParamName);
        var repeated = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer("Car", "Car"));
        Assert.Contains("labelColumnNames = Car", repeated.Message);
        Assert.Equal("labelColumnNames[1]", Assert.Throws<ArgumentException>(() => Trainer("Car", " ")).ParamName);
    }

    private static BinaryClassificationMetrics Evaluate(MLContext ml, IDataView scored, string label)
        => ml.BinaryClassification.Evaluate(
            scored,
            labelColumnName: label,
            scoreColumnName: MultiTaskBinaryClassificationHead.ScoreColumn(label),
            probabilityColumnName: MultiTaskBinaryClassificationHead.ProbabilityColumn(label),
            predictedLabelColumnName: MultiTaskBinaryClassificationHead.PredictedLabelColumn(label));

    /// <summary>Σ over tasks of the mean over present rows of log(1 + e^z) − y·z, in doubles.</summary>
    private static double HandLoss(float[,] logits, float[,] targets, int[] rows)
    {
        double total = 0;
        for (var t = 0; t < logits.GetLength(1); t++)
        {
            double sum = 0;
            var present = 0;
            foreach (var r in rows)
            {
                if (!float.IsNaN(targets[r, t]))
                {
                    sum += Math.Log(1 + Math.Exp(logits[r, t])) - (targets[r, t] * logits[r, t]);
                    present++;
                }
            }

            total += present == 0 ? 0 : sum / present;
        }

        return total;
    }

    private static Tensor Tensor(float[,] values) => tensor(values.Cast<float>().ToArray(), [values.GetLength(0), values.GetLength(1)]);

    private sealed class ImageRow
    {
        [VectorType(36)]
        public float[] Features { get; set; } = [];

        public bool Bright { get; set; }

        public float Textured { get; set; }
    }
}

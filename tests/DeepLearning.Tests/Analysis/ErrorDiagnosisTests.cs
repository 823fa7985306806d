using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Estimators;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Analysis;

/// <summary>The diagnosis gives the verdict the method teaches on constructed error sets, and reads errors from scored views.</summary>
public class ErrorDiagnosisTests : TempDirectoryTest
{
    private sealed class Scored
    {
        public string Label { get; set; } = "";

        public string PredictedLabel { get; set; } = "";
    }

    private sealed class BinaryScored
    {
        public bool Label { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class Blob
    {
        public string Label { get; set; } = "";

        public bool IsFirst { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    [Theory]
    [InlineData(0.01, 0.08, 0.09, 0.10, 0.105, DiagnosisProblem.AvoidableBias, 0.07)]
    [InlineData(0.01, 0.015, 0.10, 0.105, 0.11, DiagnosisProblem.Variance, 0.085)]
    [InlineData(0.005, 0.01, 0.015, 0.10, 0.11, DiagnosisProblem.DataMismatch, 0.085)]
    [InlineData(0.01, 0.02, 0.025, 0.03, 0.09, DiagnosisProblem.DevOverfitting, 0.06)]
    [InlineData(0.075, 0.08, 0.10, 0.11, 0.115, DiagnosisProblem.Variance, 0.02)]
    public void VerdictIsTheLargestGap(double human, double train, double trainDev, double dev, double test, DiagnosisProblem expected, double size)
    {
        var diagnosis = ErrorDiagnosis.FromErrors(human, train, trainDev, dev, test);

        Assert.Equal(expected, diagnosis.LargestGap!.Problem);
        Assert.Equal(size, diagnosis.LargestGap.Size, 12);
        Assert.Equal(
            [train - human, trainDev - train, dev - trainDev, test - dev],
            diagnosis.Gaps.Select(g => g.Size));
        Assert.Equal(
            [DiagnosisProblem.AvoidableBias, DiagnosisProblem.Variance, DiagnosisProblem.DataMismatch, DiagnosisProblem.DevOverfitting],
            diagnosis.Gaps.Select(g => g.Problem));
        Assert.Contains("Largest gap: " + diagnosis.LargestGap.Name, diagnosis.ToString());
    }

    [Fact]
    public void EachVerdictRecommendsItsOwnActions()
    {
        Assert.Contains(ErrorDiagnosis.FromErrors(0.01, 0.08, 0.09, 0.10).RecommendedActions, a => a.Contains("bigger model"));
        Assert.Contains(ErrorDiagnosis.FromErrors(0.01, 0.01, 0.09, 0.10).RecommendedActions, a => a.Contains("regularisation"));
        Assert.Contains(ErrorDiagnosis.FromErrors(0.01, 0.01, 0.02, 0.10).RecommendedActions, a => a.Contains("synthesise"));
        Assert.Contains(ErrorDiagnosis.FromErrors(0.01, 0.01, 0.02, 0.03, 0.10).RecommendedActions, a => a.Contains("bigger dev set"));
        var report = ErrorDiagnosis.FromErrors(0.01, 0.08, 0.09, 0.10).ToString();
        Assert.Contains("train a bigger model", report);
        Assert.Contains("8.0%", report);
        Assert.Contains("+7.0 pts", report);
    }

    [Fact]
    public void WithoutTrainDevVarianceAndMismatchAreOneGap()
    {
        var diagnosis = ErrorDiagnosis.FromErrors(0.01, 0.02, null, 0.10);

        Assert.Equal([DiagnosisProblem.AvoidableBias, DiagnosisProblem.VarianceOrDataMismatch], diagnosis.Gaps.Select(g => g.Problem));
        Assert.Equal(DiagnosisProblem.VarianceOrDataMismatch, diagnosis.LargestGap!.Problem);
        Assert.Equal(0.08, diagnosis.LargestGap.Size, 12);
        Assert.Contains("cannot be separated", diagnosis.ToString());
        Assert.Contains(diagnosis.RecommendedActions, a => a.Contains("train-dev"));
    }

    [Fact]
    public void NoPositiveGapHasNoVerdict()
    {
        var diagnosis = ErrorDiagnosis.FromErrors(0.05, 0.05, 0.05, 0.04, 0.04);
        Assert.Null(diagnosis.LargestGap);
        Assert.Empty(diagnosis.RecommendedActions);
        Assert.Contains("No gap is positive", diagnosis.ToString());
    }

    [Fact]
    public void BadErrorsAreNamed()
    {
        Assert.Contains("humanError = NaN", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorDiagnosis.FromErrors(double.NaN, 0.1, 0.1, 0.1)).Message);
        Assert.Contains("trainError = -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorDiagnosis.FromErrors(0, -0.1, 0.1, 0.1)).Message);
        Assert.Contains("trainDevError = 1.5", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorDiagnosis.FromErrors(0, 0.1, 1.5, 0.1)).Message);
        Assert.Contains("testError = NaN", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorDiagnosis.FromErrors(0, 0.1, 0.1, 0.1, double.NaN)).Message);
    }

    [Fact]
    public void ErrorRateComparesKeyValuesWithPredictions()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { ("a", "a"), ("b", "a"), ("c", "c"), ("a", "b"), ("b", "b") }
            .Select(p => new Scored { Label = p.Item1, PredictedLabel = p.Item2 });
        var data = ml.Data.LoadFromEnumerable(rows);

        // Label becomes a key; its key values compare with the text predictions: 2 of 5 wrong.
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        Assert.Equal(0.4, ErrorDiagnosis.ErrorRate(keyed), 12);
        Assert.Equal(0.4, ErrorDiagnosis.ErrorRate(data), 12);

        var binary = ml.Data.LoadFromEnumerable(new[] { (true, true), (true, false), (false, false), (false, false) }
            .Select(p => new BinaryScored { Label = p.Item1, PredictedLabel = p.Item2 }));
        Assert.Equal(0.25, ErrorDiagnosis.ErrorRate(binary), 12);

        var diagnosis = ErrorDiagnosis.FromScoredData(0.1, binary, null, keyed);
        Assert.Equal(0.25, diagnosis.TrainError, 12);
        Assert.Equal(0.4, diagnosis.DevError, 12);
        Assert.Null(diagnosis.TrainDevError);
        Assert.Contains("'Missing'", Assert.Throws<ArgumentException>(() => ErrorDiagnosis.ErrorRate(data, labelColumnName: "Missing")).Message);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<Scored>());
        Assert.Contains("no row with a label", Assert.Throws<ArgumentException>(() => ErrorDiagnosis.ErrorRate(empty)).Message);
    }

    [Fact]
    public void ErrorRateOfOurNetworksIsOneMinusMlNetAccuracy()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 300).Select(i =>
        {
            var k = i % 3;
            var features = Enumerable.Range(0, 4).Select(d => (d == k ? 1.5f : 0f) + (float)random.NextDouble() * 2).ToArray();
            return new Blob { Label = "abc"[k].ToString(), IsFirst = k == 0, Features = features };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        DeepNeuralNetworkTrainer.Options Options(string label) => new() { LabelColumnName = label, HiddenLayers = [8], Epochs = 5, BatchSize = 32, LearningRate = 0.02, NumberOfThreads = 1, Seed = 1 };

        var multiclass = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Options("Label")))
            .Fit(data).Transform(data);
        var accuracy = ml.MulticlassClassification.Evaluate(multiclass).MicroAccuracy;
        Assert.InRange(accuracy, 0.4, 0.99);
        Assert.Equal(1 - accuracy, ErrorDiagnosis.ErrorRate(multiclass), 12);

        var binary = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options("IsFirst")).Fit(data).Transform(data);
        var binaryAccuracy = ml.BinaryClassification.Evaluate(binary, labelColumnName: "IsFirst").Accuracy;
        Assert.Equal(1 - binaryAccuracy, ErrorDiagnosis.ErrorRate(binary, labelColumnName: "IsFirst"), 12);
    }

    [Fact]
    public void PlotIsWritten()
    {
        var path = Path.Combine(Dir, "diagnosis.png");
        ErrorDiagnosis.FromErrors(0.01, 0.015, 0.02, 0.10, 0.11).WritePlot(path, new PlotOptions { Width = 640, Height = 400 });
        PngFile.AssertPlot(path, 640, 400);
    }
}

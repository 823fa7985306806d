using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Networks;
using Microsoft.ML;
using Xunit.Abstractions;
using static DeepLearning.Tests.Estimators.SyntheticRows;
using static DeepLearning.Tests.Onnx.OnnxScoring;

namespace DeepLearning.Tests.Onnx;

/// <summary>
/// Whole pipelines (normalizer, key mapping, our trainer) through <c>ml.Model.ConvertToOnnx</c>,
/// scored by ML.NET's <c>ApplyOnnxModel</c> and by ONNX Runtime directly, against our transformer.
/// </summary>
public sealed class OnnxPipelineExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static DeepNeuralNetworkTrainer.Options Options(Activation activation = Activation.ReLU) => new()
    {
        HiddenLayers = [16, 8],
        Activation = activation,
        BatchNormalization = true,
        Dropout = [0.2],
        Epochs = 2,
        BatchSize = 16,
        LearningRate = 0.01,
        NumberOfThreads = 1,
    };

    [Theory]
    [InlineData(Activation.ReLU, "Relu")]
    [InlineData(Activation.LeakyReLU, "LeakyRelu")]
    [InlineData(Activation.Tanh, "Tanh")]
    [InlineData(Activation.Sigmoid, "Sigmoid")]
    [InlineData(Activation.Gelu, "Erf")]
    public void MulticlassPipelineScoresLikeTheTransformer(Activation activation, string activationOp)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(90));
        var options = Options(activation);
        options.LeakyReluSlope = 0.2;
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var onnx = Convert(ml, model, data);

        var graph = new OnnxModelInspector(onnx);
        Assert.Equal(12, graph.Opsets[string.Empty]);
        Assert.Equal(2, graph.OpTypes.Count(op => op == activationOp));
        Assert.Equal(2, graph.OpTypes.Count(op => op == "BatchNormalization"));
        Assert.Equal(3, graph.OpTypes.Count(op => op == "Gemm"));
        Assert.DoesNotContain("Dropout", graph.OpTypes);

        var expected = model.Transform(data);
        var scores = Column<float>(expected, "Score");
        var labels = Column<ReadOnlyMemory<char>>(expected, "PredictedLabel").Select(l => l.ToString()).ToArray();
        Assert.True(labels.Distinct().Count() > 1, "a model that predicts one class cannot show that labels agree");

        var viaMlNet = ThroughMlNet(ml, onnx, data);
        var viaRuntime = ThroughOnnxRuntime(onnx, data);
        var mlNetDiff = MaxAbsDiff(scores, Column<float>(viaMlNet, "Score"));
        var runtimeDiff = MaxAbsDiff(scores, (float[])viaRuntime["Score.output"]);
        output.WriteLine($"{activation}: max |Δscore| ApplyOnnxModel {mlNetDiff:E2}, ONNX Runtime {runtimeDiff:E2}");
        Assert.InRange(mlNetDiff, 0, Tolerance);
        Assert.InRange(runtimeDiff, 0, Tolerance);
        Assert.Equal(labels, Column<ReadOnlyMemory<char>>(viaMlNet, "PredictedLabel").Select(l => l.ToString()));
        Assert.Equal(labels, (string[])viaRuntime["PredictedLabel.output"]);
    }

    [Fact]
    public void BinaryPipelineScoresLikeTheTransformer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Binary(80));
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options()))
            .Fit(data);
        var onnx = Convert(ml, model, data);
        Assert.Contains("Greater", new OnnxModelInspector(onnx).OpTypes);

        var expected = model.Transform(data);
        var labels = Column<bool>(expected, "PredictedLabel");
        Assert.Contains(true, labels);
        Assert.Contains(false, labels);

        var viaMlNet = ThroughMlNet(ml, onnx, data);
        var viaRuntime = ThroughOnnxRuntime(onnx, data);
        foreach (var column in new[] { "Score", "Probability" })
        {
            var values = Column<float>(expected, column);
            var mlNetDiff = MaxAbsDiff(values, Column<float>(viaMlNet, column));
            var runtimeDiff = MaxAbsDiff(values, (float[])viaRuntime[$"{column}.output"]);
            output.WriteLine($"binary {column}: max |Δ| ApplyOnnxModel {mlNetDiff:E2}, ONNX Runtime {runtimeDiff:E2}");
            Assert.InRange(mlNetDiff, 0, Tolerance);
            Assert.InRange(runtimeDiff, 0, Tolerance);
        }

        Assert.Equal(labels, Column<bool>(viaMlNet, "PredictedLabel"));
        Assert.Equal(labels, (bool[])viaRuntime["PredictedLabel.output"]);
    }

    [Fact]
    public void RegressionPipelineScoresLikeTheTransformer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Regression(80));
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Regression.Trainers.DeepNeuralNetwork(Options(Activation.Gelu)))
            .Fit(data);
        var onnx = Convert(ml, model, data);

        var scores = Column<float>(model.Transform(data), "Score");
        Assert.True(scores.Max() - scores.Min() > 0.1, "constant scores cannot show that the graphs agree");
        var mlNetDiff = MaxAbsDiff(scores, Column<float>(ThroughMlNet(ml, onnx, data), "Score"));
        var runtimeDiff = MaxAbsDiff(scores, (float[])ThroughOnnxRuntime(onnx, data)["Score.output"]);
        output.WriteLine($"regression Score: max |Δ| ApplyOnnxModel {mlNetDiff:E2}, ONNX Runtime {runtimeDiff:E2}");
        Assert.InRange(mlNetDiff, 0, Tolerance);
        Assert.InRange(runtimeDiff, 0, Tolerance);
    }

    [Fact]
    public void EmbeddingWithFeatureNormalizationScoresLikeTheTransformer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(60));
        var options = Options(Activation.Tanh);
        options.NormalizeFeatures = true;
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.DeepNeuralNetworkEmbedding(options, dimension: 5, outputColumnName: "Vector"))
            .Fit(data);
        Assert.NotNull(model.LastTransformer.Input.Normalization);
        var onnx = Convert(ml, model, data);

        var graph = new OnnxModelInspector(onnx);
        Assert.Contains("Sub", graph.OpTypes);
        Assert.Contains("ReduceL2", graph.OpTypes);
        var expected = Column<float>(model.Transform(data), "Vector");
        var mlNetDiff = MaxAbsDiff(expected, Column<float>(ThroughMlNet(ml, onnx, data), "Vector"));
        var runtimeDiff = MaxAbsDiff(expected, (float[])ThroughOnnxRuntime(onnx, data)["Vector.output"]);
        output.WriteLine($"embedding: max |Δ| ApplyOnnxModel {mlNetDiff:E2}, ONNX Runtime {runtimeDiff:E2}");
        Assert.InRange(mlNetDiff, 0, Tolerance);
        Assert.InRange(runtimeDiff, 0, Tolerance);
    }
}

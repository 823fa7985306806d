using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static DeepLearning.Tests.Estimators.SyntheticRows;
using static DeepLearning.Tests.Onnx.OnnxScoring;
using TorchSharp;

namespace DeepLearning.Tests.Onnx;

/// <summary>The <c>ExportToOnnx</c> helper, input reshaping, and what cannot be exported.</summary>
public sealed class NetworkOnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void ExportToOnnxHasTheFeaturesAsOnlyInputAndPredictionsAsOutputs()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Binary(80));
        var transformer = ml.BinaryClassification.Trainers.DeepNeuralNetwork(new DeepNeuralNetworkTrainer.Options
        {
            HiddenLayers = [8],
            BatchNormalization = true,
            Epochs = 2,
            BatchSize = 16,
            NumberOfThreads = 1,
        }).Fit(data);

        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var onnx = stream.ToArray();

        using (var session = new InferenceSession(onnx))
        {
            var input = Assert.Single(session.InputMetadata);
            Assert.Equal("Features", input.Key);
            Assert.Equal([-1, Size], input.Value.Dimensions);
            Assert.Equal(["PredictedLabel.output", "Probability.output", "Score.output"], session.OutputMetadata.Keys.Order());
        }

        var expected = transformer.Transform(data);
        var actual = ThroughOnnxRuntime(onnx, data);
        var scoreDiff = MaxAbsDiff(Column<float>(expected, "Score"), (float[])actual["Score.output"]);
        var probabilityDiff = MaxAbsDiff(Column<float>(expected, "Probability"), (float[])actual["Probability.output"]);
        output.WriteLine($"ExportToOnnx binary: max |Δscore| {scoreDiff:E2}, max |Δprobability| {probabilityDiff:E2}");
        Assert.InRange(scoreDiff, 0, Tolerance);
        Assert.InRange(probabilityDiff, 0, Tolerance);
        Assert.Equal(Column<bool>(expected, "PredictedLabel"), (bool[])actual["PredictedLabel.output"]);
    }

    [Fact]
    public void MultiDimensionalInputIsReshapedBeforeTheNetwork()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(30));
        using var transformer = Transformer(new[] { 2L, 4 }, () => torch.nn.Sequential(
            ("flatten", torch.nn.Flatten()),
            ("fc", torch.nn.Linear(Size, 3)),
            ("same", torch.nn.Identity())));

        // Flat [N, 8] features in a pipeline: a Reshape to [N, 2, 4] comes first.
        var onnx = Convert(ml, transformer, data);
        Assert.Equal(["Reshape", "Flatten", "Gemm"], new OnnxModelInspector(onnx).OpTypes.Where(op => op is "Reshape" or "Flatten" or "Gemm"));
        var expected = transformer.Transform(data);
        var scores = Column<float>(expected, "Score");
        var labels = Column<uint>(expected, "PredictedLabel");
        var actual = ThroughOnnxRuntime(onnx, data);
        var pipelineDiff = MaxAbsDiff(scores, (float[])actual["Score.output"]);
        Assert.InRange(pipelineDiff, 0, Tolerance);
        Assert.Equal(labels, (uint[])actual["PredictedLabel.output"]);

        // Alone, the model takes the network's shape and needs no Reshape.
        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var alone = stream.ToArray();
        Assert.DoesNotContain("Reshape", new OnnxModelInspector(alone).OpTypes);
        using (var session = new InferenceSession(alone))
        {
            Assert.Equal([-1, 2, 4], session.InputMetadata["Features"].Dimensions);
        }

        var aloneDiff = MaxAbsDiff(scores, (float[])ThroughOnnxRuntime(alone, data)["Score.output"]);
        output.WriteLine($"reshape: max |Δscore| pipeline {pipelineDiff:E2}, alone {aloneDiff:E2}");
        Assert.InRange(aloneDiff, 0, Tolerance);
    }

    [Fact]
    public void LayerVariantsOutsideOurNetworksExportExactly()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(30));
        using var transformer = Transformer(new[] { (long)Size }, () =>
        {
            var network = torch.nn.Sequential(
                ("fc1", torch.nn.Linear(Size, 6, hasBias: false)),
                ("bn", torch.nn.BatchNorm1d(6, eps: 1e-3, momentum: 0.5, affine: false)),
                ("gelu", torch.nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh)),
                ("drop", torch.nn.Dropout(0.5)),
                ("fc2", torch.nn.Linear(6, 3)));

            // Running statistics far from their initial 0 and 1, so using them (or not) shows.
            using (torch.NewDisposeScope())
            {
                network.train();
                for (var i = 0; i < 3; i++)
                {
                    network.forward((torch.randn(16, Size) * 3) + 2);
                }
            }

            return network;
        });

        using var stream = new MemoryStream();
        transformer.ExportToOnnx(ml, stream);
        var onnx = stream.ToArray();
        var ops = new OnnxModelInspector(onnx).OpTypes;
        Assert.Contains("Tanh", ops);
        Assert.DoesNotContain("Erf", ops);
        var diff = MaxAbsDiff(Column<float>(transformer.Transform(data), "Score"), (float[])ThroughOnnxRuntime(onnx, data)["Score.output"]);
        output.WriteLine($"layer variants: max |Δscore| {diff:E2}");
        Assert.InRange(diff, 0, Tolerance);
    }

    [Fact]
    public void UnsupportedModuleThrowsNamingItsNameAndType()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Classes(6));
        using var transformer = Transformer(new[] { (long)Size }, () => torch.nn.Sequential(
            ("fc", torch.nn.Linear(Size, 3)),
            ("soft", torch.nn.Softplus())));

        var error = Assert.Throws<NotSupportedException>(() => Convert(ml, transformer, data));
        Assert.Contains("'soft'", error.Message);
        Assert.Contains("TorchSharp.Modules.Softplus", error.Message);
        Assert.Contains(nameof(IOnnxExportable), error.Message);
        Assert.Throws<NotSupportedException>(() => transformer.ExportToOnnx(ml, Stream.Null));

        using var batchStatistics = Transformer(new[] { (long)Size }, () => torch.nn.Sequential(
            ("fc", torch.nn.Linear(Size, 3)),
            ("norm", torch.nn.BatchNorm1d(3, track_running_stats: false))));
        var statistics = Assert.Throws<NotSupportedException>(() => Convert(ml, batchStatistics, data));
        Assert.Contains("'norm'", statistics.Message);
        Assert.Contains("running statistics", statistics.Message);
    }

    private static NetworkPredictionTransformer Transformer(long[] shape, Func<torch.nn.Module<torch.Tensor, torch.Tensor>> factory)
    {
        var spec = new TestNetworkSpec { Shape = shape, Factory = factory, OutputSize = 3 };
        var input = new VectorInput { ColumnName = "Features", Dimensions = shape };
        return new NetworkPredictionTransformer(new NetworkModel(input, spec, spec.Build(), new MulticlassClassificationHead { ClassCount = 3 }));
    }
}

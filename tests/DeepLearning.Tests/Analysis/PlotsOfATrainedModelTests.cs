using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Analysis;

/// <summary>The plots take what a real fit and its scoring produce: the history, and the scored view of the README's pipeline.</summary>
public class PlotsOfATrainedModelTests
{
    private const int Side = 8;
    private static readonly string[] Names = ["top", "middle", "bottom"];

    private sealed class Row
    {
        public string Label { get; set; } = "";

        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void HistoryAndScoredViewOfAFitPlot()
    {
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, Side, Side);
        var data = ml.Data.LoadFromEnumerable(Rows(150, seed: 3), schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(new DeepNeuralNetworkTrainer.Options
            {
                HiddenLayers = [16], Epochs = 6, BatchSize = 16, LearningRate = 0.01, NumberOfThreads = 1, ValidationFraction = 0.2,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        var network = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(Rows(60, seed: 4), schema));

        var options = new PlotOptions { Width = 480, Height = 360 };
        Plots.LearningCurves(network.History!, PngFile.TempPath("fit-curves.png"), "accuracy", options);
        PngFile.AssertPlot(PngFile.TempPath("fit-curves.png"), 480, 360);
        Plots.ConfusionMatrix(scored, PngFile.TempPath("fit-confusion.png"), options: options);
        PngFile.AssertPlot(PngFile.TempPath("fit-confusion.png"), 480, 360);
        var shown = Plots.MostConfidentlyWrong(scored, PngFile.TempPath("fit-wrong.png"), count: 8, options: options);
        PngFile.AssertPlot(PngFile.TempPath("fit-wrong.png"), 480, 360);

        // A fifth of the labels are flipped, so there are 8 wrong rows to show, the surest first
        // (the score of the prediction is the largest score of its row).
        Assert.Equal(8, shown.Count);
        var confidence = scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().Max()).ToArray();
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>(scored.Schema["PredictedLabel"]).Select(p => p.ToString()).ToArray();
        var truth = Rows(60, seed: 4).Select(r => r.Label).ToArray();
        Assert.All(shown, i => Assert.NotEqual(truth[i], predicted[i]));
        Assert.Equal(shown.OrderByDescending(i => confidence[i]), shown);
    }

    /// <summary>Class k is a bright band in the k-th third of the rows, over noise; a fifth of the labels are flipped so some predictions are wrong.</summary>
    private static IEnumerable<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var k = i % Names.Length;
            var pixels = new float[Side * Side];
            for (var p = 0; p < pixels.Length; p++)
            {
                var band = p / Side * Names.Length / Side;
                pixels[p] = (band == k ? 0.8f : 0.1f) + 0.3f * (float)random.NextDouble();
            }

            var label = random.NextDouble() < 0.2 ? Names[(k + 1) % Names.Length] : Names[k];
            yield return new Row { Label = label, Features = pixels };
        }
    }
}

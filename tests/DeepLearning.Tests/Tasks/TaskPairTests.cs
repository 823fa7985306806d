using System.Diagnostics;
using DeepLearning.Tests.Estimators;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Tasks;

/// <summary>Each head/task pair end to end: fit, Evaluate, save, load in another process, identical outputs.</summary>
public sealed class TaskPairTests : TempDirectoryTest
{

    /// <summary>Small MLP options that learn the tiny synthetic tasks (shared with the multi-task tests).</summary>
    internal static DeepNeuralNetworkTrainer.Options Options() => new()
    {
        HiddenLayers = [16],
        Epochs = 30,
        BatchSize = 32,
        LearningRate = 0.01,
        NumberOfThreads = 1,
    };

    [Fact]
    public void MulticlassPairFitsEvaluatesAndRoundTripsThroughAnotherProcess()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(Classes(150))).Transform(ml.Data.LoadFromEnumerable(Classes(150)));
        var model = ml.MulticlassClassification.Trainers.DeepNeuralNetwork(Options()).Fit(data);
        Assert.IsType<MulticlassClassificationHead>(model.Head);
        Assert.True(ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy > 0.9);
        AssertSameInAnotherProcess(ml, model, data, "Score");
    }

    [Fact]
    public void BinaryPairFitsEvaluatesAndRoundTripsThroughAnotherProcess()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Binary(200));
        var model = ml.BinaryClassification.Trainers.DeepNeuralNetwork(Options()).Fit(data);
        Assert.IsType<BinaryClassificationHead>(model.Head);
        Assert.True(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.9);
        AssertSameInAnotherProcess(ml, model, data, "Probability");
    }

    [Fact]
    public void RegressionPairFitsEvaluatesAndRoundTripsThroughAnotherProcess()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Regression(200));
        var model = ml.Regression.Trainers.DeepNeuralNetwork(Options()).Fit(data);
        Assert.IsType<RegressionHead>(model.Head);
        Assert.True(ml.Regression.Evaluate(model.Transform(data)).RSquared > 0.8);
        AssertSameInAnotherProcess(ml, model, data, "Score");
    }

    [Fact]
    public void EmbeddingPairPutsSameClassRowsCloserAndRoundTripsThroughAnotherProcess()
    {
        var ml = new MLContext(seed: 1);
        var rows = Classes(150);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var model = ml.Transforms.DeepNeuralNetworkEmbedding(Options(), dimension: 6, outputColumnName: "Face").Fit(data);
        var head = Assert.IsType<EmbeddingHead>(model.Head);
        Assert.Equal(6, head.Dimension);

        var scored = model.Transform(data);
        Assert.Null(scored.Schema.GetColumnOrNull("Score"));
        var embeddings = Scores(scored, "Face").Chunk(6).ToArray();
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Sum(v => (double)v * v)), 5));

        // Same-class pairs end up much closer than pairs of different classes.
        double same = 0, different = 0;
        int sameCount = 0, differentCount = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = i + 1; j < rows.Count; j++)
            {
                var d = Math.Sqrt(embeddings[i].Zip(embeddings[j], (a, b) => (double)(a - b) * (a - b)).Sum());
                if (rows[i].Label == rows[j].Label)
                {
                    same += d;
                    sameCount++;
                }
                else
                {
                    different += d;
                    differentCount++;
                }
            }
        }

        Assert.True(same / sameCount < 0.5 * (different / differentCount), $"same {same / sameCount:F3}, different {different / differentCount:F3}");
        Assert.True(model.History![^1].TrainingMetric > 0.9, $"pair accuracy {model.History[^1].TrainingMetric}");
        AssertSameInAnotherProcess(ml, model, data, "Face");
    }

    private void AssertSameInAnotherProcess(MLContext ml, NetworkPredictionTransformer model, IDataView data, string column)
    {
        var path = Path.Combine(Dir, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var features = Path.Combine(Dir, "features.bin");
        var rows = FeatureRows(data);
        using (var w = new BinaryWriter(File.Create(features)))
        {
            w.Write(rows.Count);
            w.Write(rows[0].Length);
            foreach (var v in rows.SelectMany(r => r))
            {
                w.Write(v);
            }
        }

        var output = Path.Combine(Dir, "output.bin");
        var start = new ProcessStartInfo("dotnet", ["exec", ModelLoaderApp.Path, path, features, output, column]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the loader did not finish");
        Assert.True(process.ExitCode == 0, $"loader failed: {stderr}");
        var bytes = File.ReadAllBytes(output);
        var other = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, other, 0, bytes.Length);
        Assert.Equal(Scores(model.Transform(data), column), other);
    }

    private static List<float[]> FeatureRows(IDataView data)
    {
        var column = data.Schema["Features"];
        var result = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }

        return result;
    }
}

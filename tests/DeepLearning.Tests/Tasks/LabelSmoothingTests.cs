using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Tasks;

/// <summary>Label smoothing of the multiclass loss: the formula, its effect on a trained network's confidence, and its range.</summary>
public sealed class LabelSmoothingTests
{
    [Fact]
    public void TheLossIsCrossEntropyAgainstTheSmoothedTarget()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 2, 3, 3, 1, 1 }).reshape(2, 3);
        var targets = tensor(new long[] { 2, 1 });
        const double epsilon = 0.3;

        // Per row: Σ_k q_k · (−log softmax(x)_k) with q = (1 − ε) · one-hot + ε / 3.
        double expected = 0;
        foreach (var (row, label) in new[] { (new double[] { 1, 2, 3 }, 2), (new double[] { 3, 1, 1 }, 1) })
        {
            var logSum = Math.Log(row.Sum(Math.Exp));
            expected += row.Select((x, k) => (((k == label ? 1 - epsilon : 0) + (epsilon / 3)) * (logSum - x))).Sum() / 2;
        }

        Assert.Equal(expected, new MulticlassClassificationTask { LabelSmoothing = epsilon }.Loss(logits, targets).item<float>(), 5);
        Assert.NotEqual(expected, new MulticlassClassificationTask().Loss(logits, targets).item<float>(), 3);
    }

    [Fact]
    public void ASmoothedNetworkStopsShortOfCertaintyAndTheRangeIsChecked()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 200).Select(i => new Row { Label = i % 2, Features = [i % 2 == 0 ? -2f : 2f, (i % 7) / 7f] }));
        float MaxScore(MulticlassClassificationTask task)
        {
            var model = ml.MulticlassClassification.Trainers.DeepNeuralNetwork(
                new DeepNeuralNetworkTrainer.Options { HiddenLayers = [], Epochs = 60, BatchSize = 20, LearningRate = 0.1, NumberOfThreads = 1, Seed = 1 }, task).Fit(data);
            return model.Transform(data).GetColumn<float[]>("Score").Max(s => s.Max());
        }

        // Two classes, ε = 0.3: the smoothed loss is least at p = 1 − ε + ε / 2 = 0.85 for the right class.
        Assert.True(MaxScore(new MulticlassClassificationTask()) > 0.97f);
        var smoothed = MaxScore(new MulticlassClassificationTask { LabelSmoothing = 0.3 });
        Assert.InRange(smoothed, 0.80f, 0.87f);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MaxScore(new MulticlassClassificationTask { LabelSmoothing = 1 }));
        Assert.Contains("LabelSmoothing", e.Message, StringComparison.Ordinal);
        Assert.Contains("1", e.Message, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public float Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}

using DeepLearning.Trainers.Tasks;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Tasks;

public class LossTests
{
    [Fact]
    public void BinaryCrossEntropyMatchesTheFormulaAndCountsCorrectSigns()
    {
        var objective = new BinaryClassificationTask();
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 2, -1, 3 }).reshape(4, 1);
        var targets = tensor(new float[] { 1, 0, 0, 1 });

        // −[y·log σ(x) + (1 − y)·log(1 − σ(x))] = log(1 + e^(−x)) for y = 1, log(1 + e^x) for y = 0.
        var expected = (Math.Log(2) + Math.Log(1 + Math.Exp(2)) + Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(-3))) / 4;
        Assert.Equal(expected, objective.Loss(logits, targets).item<float>(), 5);

        // Predicted 1 where the logit is > 0: [0, 1, 0, 1] against [1, 0, 0, 1], two of four right.
        var metric = objective.CreateMetric();
        Assert.True(double.IsNaN(metric.Compute()));
        metric.Update(logits, targets);
        Assert.Equal(0.5, metric.Compute());
        Assert.Equal("accuracy", objective.MetricName);
        Assert.True(objective.HigherIsBetter);
    }

    [Fact]
    public void SoftmaxCrossEntropyMatchesTheFormulaAndCountsArgmaxHits()
    {
        var objective = new MulticlassClassificationTask();
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 2, 3, 3, 1, 1 }).reshape(2, 3);
        var targets = tensor(new long[] { 2, 1 });

        // −log softmax(x)[y]: row 1 = log(e¹ + e² + e³) − 3, row 2 = log(e³ + 2e) − 1.
        var row1 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        var row2 = Math.Log(Math.Exp(3) + (2 * Math.Exp(1))) - 1;
        Assert.Equal((row1 + row2) / 2, objective.Loss(logits, targets).item<float>(), 5);

        var metric = objective.CreateMetric();
        metric.Update(logits, targets);
        metric.Update(logits.narrow(0, 0, 1), targets.narrow(0, 0, 1));
        Assert.Equal(2.0 / 3, metric.Compute(), 12);
        Assert.True(objective.HigherIsBetter);
    }

    [Fact]
    public void MeanSquaredErrorMatchesTheFormulaAndReportsRmse()
    {
        var objective = new RegressionTask();
        using var scope = NewDisposeScope();
        var outputs = tensor(new float[] { 1, 2, 4 }).reshape(3, 1);
        var targets = tensor(new float[] { 1, 3, 1 });
        Assert.Equal((0 + 1 + 9) / 3.0, objective.Loss(outputs, targets).item<float>(), 5);

        var metric = objective.CreateMetric();
        metric.Update(outputs, targets);
        metric.Update(tensor(new float[] { 0 }).reshape(1, 1), tensor(new float[] { 2 }));
        Assert.Equal(Math.Sqrt((0 + 1 + 9 + 4) / 4.0), metric.Compute(), 12);
        Assert.Equal("rmse", objective.MetricName);
        Assert.False(objective.HigherIsBetter);
    }

    [Fact]
    public void ContrastiveLossOfTheEmbeddingTaskMatchesAHandComputation()
    {
        var task = new EmbeddingTask(dimension: 2, margin: 1.0);
        using var scope = NewDisposeScope();

        // Rows 1 and 3 coincide, row 2 is orthogonal (distance √2); rows 1 and 2 share class 0.
        var outputs = tensor(new float[] { 3, 0, 0, 5, 2, 0 }).reshape(3, 2);
        var targets = tensor(new long[] { 0, 0, 1 });

        // Ordered pairs i ≠ j: (1,2),(2,1) same, d² = 2; (1,3),(3,1) different, d = 0 → (1 − 0)²;
        // (2,3),(3,2) different, d = √2 > margin → 0. Mean over the 6 pairs = (2·2 + 2·1) / 6 = 1.
        Assert.Equal(1.0, task.Loss(outputs, targets).item<float>(), 4);

        // Judged "same" when d < margin / 2: (1,2) wrong, (1,3) wrong, (2,3) right → 2 of 6.
        var metric = task.CreateMetric();
        metric.Update(outputs, targets);
        Assert.Equal(1.0 / 3, metric.Compute(), 6);
        Assert.Equal("pair accuracy", task.MetricName);
    }

    [Fact]
    public void EmbeddingTaskOptionsAreValidatedNamingThem()
    {
        Assert.Contains("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingTask(dimension: 0)).Message, StringComparison.Ordinal);
        Assert.Contains("margin", Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingTask(margin: 2.5)).Message, StringComparison.Ordinal);
        Assert.Contains("columnName", Assert.Throws<ArgumentException>(() => new EmbeddingTask(columnName: " ")).Message, StringComparison.Ordinal);
    }
}

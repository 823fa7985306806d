using DeepLearning.Trainers.Objectives;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Objectives;

public class ObjectiveTests
{
    [Fact]
    public void BinaryCrossEntropyMatchesTheFormulaAndCountsCorrectSigns()
    {
        var objective = new BinaryCrossEntropyObjective();
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
        var objective = new SoftmaxCrossEntropyObjective();
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
        var objective = new MeanSquaredErrorObjective();
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
}

using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Tests.Analysis;

public class WrongPredictionsTests
{
    [Fact]
    public void PicksTheWrongRowsWithTheHighestScoresFirst()
    {
        string[] truth = ["a", "b", "c", "a", "b", "c", "a"];
        string[] predicted = ["a", "a", "a", "b", "b", "a", "c"];
        float[] scores = [0.99f, 0.60f, 0.95f, 0.70f, 0.98f, 0.95f, 0.40f];

        // Wrong rows: 1 (0.60), 2 (0.95), 3 (0.70), 5 (0.95), 6 (0.40); rows 0 and 4 are right however sure.
        Assert.Equal([2, 5, 3], WrongPredictions.MostConfident(truth, predicted, scores, 3));
        Assert.Equal([2, 5, 3, 1, 6], WrongPredictions.MostConfident(truth, predicted, scores, 10));
    }

    [Fact]
    public void NoWrongRowsGivesNone()
        => Assert.Empty(WrongPredictions.MostConfident([1, 2], [1, 2], [0.5f, 0.5f], 4));

    [Fact]
    public void MismatchedLengthsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => WrongPredictions.MostConfident([1, 2], [1, 2], [0.5f], 4));
        Assert.Contains("scores", e.Message);
        Assert.Contains("2, 2 and 1", e.Message);
    }
}

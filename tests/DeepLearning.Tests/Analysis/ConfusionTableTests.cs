using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Tests.Analysis;

public class ConfusionTableTests
{
    [Fact]
    public void CountsAndRowFractionsMatchAHandCount()
    {
        // true:      a a a b b c
        // predicted: a b a b a a
        string[] names = ["a", "b", "c"];
        var table = ConfusionTable.FromNames(names, ["a", "a", "a", "b", "b", "c"], ["a", "b", "a", "b", "a", "a"]);

        long[,] counts = { { 2, 1, 0 }, { 1, 1, 0 }, { 1, 0, 0 } };
        Assert.Equal(counts, table.Counts);
        double[,] fractions = { { 2 / 3.0, 1 / 3.0, 0 }, { 0.5, 0.5, 0 }, { 1, 0, 0 } };
        for (var t = 0; t < 3; t++)
        {
            for (var p = 0; p < 3; p++)
            {
                Assert.Equal(fractions[t, p], table.RowNormalized[t, p], 12);
            }
        }
    }

    [Fact]
    public void AClassThatNeverOccursHasAZeroRow()
    {
        var table = ConfusionTable.FromIndices(["a", "b"], [0, 0], [1, 0]);
        Assert.Equal(0, table.RowNormalized[1, 0]);
        Assert.Equal(0, table.RowNormalized[1, 1]);
        Assert.Equal(0.5, table.RowNormalized[0, 1]);
    }

    [Fact]
    public void AnUnknownClassIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionTable.FromNames(["a", "b"], ["a", "z"], ["a", "b"]));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("trueLabels[1]", e.Message);
    }

    [Fact]
    public void MismatchedLengthsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionTable.FromIndices(["a", "b"], [0, 1, 1], [0, 1]));
        Assert.Contains("trueLabels has 3 rows but predictedLabels has 2", e.Message);
    }

    [Fact]
    public void AnIndexOutsideTheClassesIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ConfusionTable.FromIndices(["a", "b"], [0, 1], [0, 2]));
        Assert.Contains("predictedLabels[1] = 2", e.Message);
    }
}

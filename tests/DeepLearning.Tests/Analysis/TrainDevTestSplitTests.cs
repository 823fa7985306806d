using DeepLearning.Trainers.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Analysis;

/// <summary>Train / train-dev / dev / test splits: disjoint, covering, stratified, grouped, seeded, from one or two distributions.</summary>
public class TrainDevTestSplitTests
{
    private static readonly string[] Classes = ["common", "middling", "rare"];

    private sealed class Row
    {
        public int Id { get; set; }

        public string Label { get; set; } = "";

        public string Group { get; set; } = "";

        public float Value { get; set; }
    }

    private sealed class OtherRow
    {
        public int Id { get; set; }

        public float Label { get; set; }
    }

    [Fact]
    public void SetsAreDisjointCoverTheDataAndHaveTheirShares()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainDevTestSplit(Data(ml, 1000), trainDevFraction: 0.1, devFraction: 0.15, testFraction: 0.05, seed: 3);
        var sets = Ids(split);

        Assert.Equal(Enumerable.Range(0, 1000), sets.SelectMany(s => s).Order());
        // One stratum of single rows: the midpoint rule gives each set its exact share.
        Assert.Equal([700, 100, 150, 50], sets.Select(s => s.Length));
        Assert.Equal(sets.Select(s => (long)s.Length), SetViews(split).Select(v => v.GetRowCount()!.Value));
    }

    [Fact]
    public void StratifiedSetsGetTheirShareOfEveryClass()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(1000).ToArray();
        var split = ml.Data.TrainDevTestSplit(ml.Data.LoadFromEnumerable(rows), 0.1, 0.2, 0.1, stratificationColumnName: "Label", seed: 5);
        var fractions = new[] { 0.6, 0.1, 0.2, 0.1 };
        var sets = Ids(split);
        foreach (var label in Classes)
        {
            var inClass = rows.Count(r => r.Label == label);
            for (var s = 0; s < sets.Length; s++)
            {
                // The midpoint rule puts each set within one row of its exact share of each class.
                var count = sets[s].Count(id => rows[id].Label == label);
                Assert.InRange(count, fractions[s] * inClass - 1, fractions[s] * inClass + 1);
            }
        }
    }

    [Fact]
    public void NoGroupStraddlesTwoSetsAndStrataStillHold()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(2000).ToArray();
        var split = ml.Data.TrainDevTestSplit(ml.Data.LoadFromEnumerable(rows), 0.1, 0.1, 0.1, stratificationColumnName: "Label", samplingKeyColumnName: "Group", seed: 2);
        var sets = Ids(split);
        var setOfGroup = new Dictionary<string, int>();
        for (var s = 0; s < sets.Length; s++)
        {
            foreach (var id in sets[s])
            {
                Assert.Equal(s, setOfGroup.TryAdd(rows[id].Group, s) ? s : setOfGroup[rows[id].Group]);
            }
        }

        // Groups hold 1–5 rows, so the shares hold to within a few groups.
        Assert.Equal(2000, sets.Sum(s => s.Length));
        Assert.InRange(sets[2].Length, 150, 250);
        Assert.InRange(sets[2].Count(id => rows[id].Label == "common") / (double)sets[2].Length, 0.5, 0.7);
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 300);
        var first = Ids(ml.Data.TrainDevTestSplit(data, seed: 7));
        var again = Ids(ml.Data.TrainDevTestSplit(data, seed: 7));
        var other = Ids(ml.Data.TrainDevTestSplit(data, seed: 8));
        Assert.Equal(first, again);
        Assert.NotEqual(first[2], other[2]);

        // Without a seed the MLContext's seed decides.
        var fromContext = Ids(new MLContext(seed: 7).Data.TrainDevTestSplit(data));
        Assert.Equal(first, fromContext);
    }

    [Fact]
    public void TwoDistributionsAimDevAndTestAtTheTarget()
    {
        var ml = new MLContext(seed: 1);
        var training = ml.Data.LoadFromEnumerable(Rows(600));
        var target = ml.Data.LoadFromEnumerable(Rows(200).Select(r => { r.Id += 10_000; return r; }));

        var pure = Ids(ml.Data.TrainDevTestSplit(training, target, new TrainDevTestSplitOptions { TrainDevFraction = 0.1, DevFraction = 0.5, TestFraction = 0.5, Seed = 1 }));
        Assert.All(pure[0].Concat(pure[1]), id => Assert.True(id < 10_000));
        Assert.All(pure[2].Concat(pure[3]), id => Assert.True(id >= 10_000));
        Assert.Equal([540, 60, 100, 100], pure.Select(s => s.Length));

        // Target rows left by dev and test join train and train-dev in the same 9:1 proportion.
        var mixed = Ids(ml.Data.TrainDevTestSplit(training, target, new TrainDevTestSplitOptions { TrainDevFraction = 0.1, DevFraction = 0.25, TestFraction = 0.25, Seed = 1 }));
        Assert.Equal(800, mixed.Sum(s => s.Length));
        Assert.Equal(90, mixed[0].Count(id => id >= 10_000));
        Assert.Equal(10, mixed[1].Count(id => id >= 10_000));
        Assert.All(mixed[2].Concat(mixed[3]), id => Assert.True(id >= 10_000));
    }

    [Fact]
    public void BadInputsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 100);
        Assert.Contains("DevFraction = 1", Assert.ThrowsAny<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, devFraction: 1)).Message);
        Assert.Contains("TestFraction = -0.1", Assert.ThrowsAny<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, testFraction: -0.1)).Message);
        Assert.Contains("TrainDevFraction = NaN", Assert.ThrowsAny<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, trainDevFraction: double.NaN)).Message);
        Assert.Contains("TrainDevFraction + DevFraction + TestFraction = 1", Assert.ThrowsAny<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, 0.4, 0.3, 0.3)).Message);
        Assert.Contains("'Missing'", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, samplingKeyColumnName: "Missing")).Message);
        Assert.Contains("StratificationColumnName", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, stratificationColumnName: "Nope")).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(Data(ml, 0))).Message);
        Assert.Contains("DevFraction = 0.01 leaves the dev set empty", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(Data(ml, 20), devFraction: 0.01)).Message);

        var vector = ml.Transforms.Concatenate("Vector", "Value", "Value").Fit(data).Transform(data);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(vector, stratificationColumnName: "Vector")).Message);

        var twoOptions = new TrainDevTestSplitOptions { DevFraction = 0.6, TestFraction = 0.5 };
        Assert.Contains("DevFraction + TestFraction = 1.1", Assert.ThrowsAny<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, data, twoOptions)).Message);
        var shared = Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, data, new TrainDevTestSplitOptions { SamplingKeyColumnName = "Group" }));
        Assert.Contains("occurs in both", shared.Message);
        var other = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new OtherRow { Id = i }));
        Assert.Contains("Column 'Label'", Assert.Throws<ArgumentException>(() => ml.Data.TrainDevTestSplit(data, other)).Message);
    }

    private static IDataView Data(MLContext ml, int count) => ml.Data.LoadFromEnumerable(Rows(count));

    /// <summary>Labels 60 / 30 / 10 %, groups of 1–5 consecutive rows.</summary>
    private static IEnumerable<Row> Rows(int count)
    {
        var random = new Random(11);
        var group = 0;
        var left = 0;
        for (var i = 0; i < count; i++)
        {
            if (left-- == 0)
            {
                group++;
                left = random.Next(5);
            }

            var u = random.NextDouble();
            yield return new Row { Id = i, Label = u < 0.6 ? Classes[0] : u < 0.9 ? Classes[1] : Classes[2], Group = $"g{group}", Value = (float)u };
        }
    }

    private static IDataView[] SetViews(TrainDevTestData split) => [split.TrainSet, split.TrainDevSet, split.DevSet, split.TestSet];

    private static int[][] Ids(TrainDevTestData split)
        => SetViews(split).Select(v => v.GetColumn<int>("Id").ToArray()).ToArray();
}

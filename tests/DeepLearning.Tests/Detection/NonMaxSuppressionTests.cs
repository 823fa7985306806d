using DeepLearning.Transforms.Detection;
using TorchSharp;
using static DeepLearning.Tests.Detection.BoxOpsTests;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>Greedy NMS by tensor operations against TorchVision's <c>nms</c> (the oracle): single set, per group, per image in a batch, padding, and named errors.</summary>
public sealed class NonMaxSuppressionTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void KeepsWhatTorchVisionsNmsKeeps(double threshold)
    {
        using var scope = NewDisposeScope();
        for (var seed = 1; seed <= 5; seed++)
        {
            var boxes = RandomBoxes(200, seed);
            var scores = Scores(200, seed);
            var expected = torchvision.ops.nms(boxes, scores, threshold);
            var actual = NonMaxSuppression.Apply(boxes, scores, threshold);
            Assert.Equal(expected.data<long>().ToArray(), actual.data<long>().ToArray());
            Assert.InRange(actual.shape[0], 1, 200);
        }
    }

    [Fact]
    public void ChainsAreResolvedGreedily()
    {
        // A overlaps B, B overlaps C, A does not overlap C: greedy keeps A and C (dropping B would not free C if B were kept).
        using var scope = NewDisposeScope();
        var boxes = tensor(new[] { 0.0, 0, 10, 10, 5, 0, 15, 10, 10, 0, 20, 10 }).reshape(3, 4);
        var scores = tensor(new[] { 0.9, 0.8, 0.7 });
        Assert.Equal([0L, 2L], NonMaxSuppression.Apply(boxes, scores, 0.3).data<long>().ToArray());
    }

    [Fact]
    public void GroupsDoNotSuppressEachOther()
    {
        using var scope = NewDisposeScope();
        var boxes = RandomBoxes(150, seed: 7);
        var scores = Scores(150, seed: 7);
        var groups = randint(0, 4, [150], generator: new Generator(7));
        var actual = NonMaxSuppression.Apply(boxes, scores, groups, 0.4).data<long>().ToArray();

        // Oracle: TorchVision's nms on each group alone, then all kept boxes by decreasing score.
        var expected = new List<long>();
        for (long g = 0; g < 4; g++)
        {
            var members = groups.eq(g).nonzero().squeeze(1);
            expected.AddRange(members[torchvision.ops.nms(boxes[members], scores[members], 0.4)].data<long>().ToArray());
        }

        var scoreOf = scores.data<double>().ToArray();
        Assert.Equal(expected.OrderByDescending(i => scoreOf[i]).ToArray(), actual);
        Assert.True(actual.Length > NonMaxSuppression.Apply(boxes, scores, 0.4).shape[0], "per-group NMS keeps more than class-agnostic NMS");
    }

    [Fact]
    public void ABatchOfImagesIsEachImageAloneAndPaddingIsIgnored()
    {
        using var scope = NewDisposeScope();
        const int Images = 4, Candidates = 60;
        var boxes = stack(Enumerable.Range(0, Images).Select(i => RandomBoxes(Candidates, 10 + i)).ToArray());
        var scores = stack(Enumerable.Range(0, Images).Select(i => Scores(Candidates, 10 + i)).ToArray());
        var classes = randint(0, 3, [Images, Candidates], generator: new Generator(3));

        // The last 10 candidates of each image are padding, with the highest scores: they must neither survive nor suppress.
        var valid = ones(Images, Candidates, ScalarType.Bool);
        valid[.., 50..] = tensor(false);
        var padded = scores.clone();
        padded[.., 50..] = tensor(2.0);
        var paddedBoxes = boxes.clone();
        paddedBoxes[.., 50..] = boxes[.., ..10];

        foreach (var groups in new[] { null, classes })
        {
            var agnostic = groups is null;
            var mask = NonMaxSuppression.KeepMask(paddedBoxes, padded, groups, valid, 0.5);
            Assert.Equal(new long[] { Images, Candidates }, mask.shape);
            for (var i = 0; i < Images; i++)
            {
                var real = boxes[i, ..50];
                var kept = agnostic
                    ? torchvision.ops.nms(real, scores[i, ..50], 0.5)
                    : NonMaxSuppression.Apply(real, scores[i, ..50], classes[i, ..50], 0.5);
                var expected = zeros(Candidates, ScalarType.Bool);
                expected[kept] = tensor(true);
                Assert.Equal(expected.data<bool>().ToArray(), mask[i].data<bool>().ToArray());
            }
        }
    }

    [Fact]
    public void EmptyInputKeepsNothingAndBadInputsAreNamed()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0, NonMaxSuppression.Apply(zeros(0, 4, ScalarType.Float64), zeros(0, ScalarType.Float64), 0.5).shape[0]);
        var boxes = RandomBoxes(5, seed: 1);
        Assert.Equal("iouThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => NonMaxSuppression.Apply(boxes, Scores(5, 1), 1.5)).ParamName);
        Assert.Contains("[5]", Assert.Throws<ArgumentException>(() => NonMaxSuppression.Apply(boxes, Scores(4, 1), 0.5)).Message, StringComparison.Ordinal);
        Assert.Equal("groups", Assert.Throws<ArgumentException>(() => NonMaxSuppression.Apply(boxes, Scores(5, 1), zeros(3, ScalarType.Int64), 0.5)).ParamName);
        Assert.Equal("boxes", Assert.Throws<ArgumentException>(() => NonMaxSuppression.KeepMask(boxes, Scores(5, 1), null, null, 0.5)).ParamName);
    }

    private static Tensor Scores(int count, int seed)
    {
        var random = new Random(seed * 31);
        return tensor(Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray());
    }
}

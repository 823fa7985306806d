using DeepLearning.Trainers.Tasks.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>k-means anchors with the 1 − IoU distance: recovers planted shape clusters, ends at a Lloyd fixed point checked by hand, reports the mean IoU, and names bad input.</summary>
public sealed class AnchorClusteringTests
{
    private static readonly (double W, double H)[] Planted = [(8, 8), (40, 20), (20, 60)];

    [Fact]
    public void RecoversPlantedShapesAtAFixedPoint()
    {
        var sizes = Sizes(300, seed: 1);
        using var input = tensor(sizes.SelectMany(s => new[] { s.W, s.H }).ToArray()).reshape(-1, 2);
        var result = AnchorClustering.Fit(input, 3, seed: 2);

        for (var i = 0; i < 3; i++)
        {
            Assert.InRange(result.Anchors[i].Width, Planted[i].W * 0.9, Planted[i].W * 1.1);
            Assert.InRange(result.Anchors[i].Height, Planted[i].H * 0.9, Planted[i].H * 1.1);
        }

        // By hand: each anchor is the mean of the boxes whose best anchor (by centred IoU) it is, and the mean IoU is theirs.
        var best = sizes.Select(s => Enumerable.Range(0, 3).MaxBy(k => CentredIou(s, result.Anchors[k]))).ToArray();
        for (var k = 0; k < 3; k++)
        {
            var members = sizes.Where((_, i) => best[i] == k).ToArray();
            Assert.Equal(members.Average(m => m.W), result.Anchors[k].Width, 9);
            Assert.Equal(members.Average(m => m.H), result.Anchors[k].Height, 9);
        }

        Assert.Equal(sizes.Select((s, i) => CentredIou(s, result.Anchors[best[i]])).Average(), result.MeanIou, 9);
        Assert.True(result.MeanIou > 0.8, $"mean IoU {result.MeanIou}");
        Assert.Equal(result.Anchors, AnchorClustering.Fit(input, 3, seed: 2).Anchors);
        Assert.True(AnchorClustering.Fit(input, 1).MeanIou < result.MeanIou, "one anchor covers the shapes worse than three");
    }

    [Fact]
    public void BadSizesAndCountsAreNamed()
    {
        using var scope = NewDisposeScope();
        var sizes = tensor(new[] { 10.0, 10, 20, 0, 5, 5 }).reshape(3, 2);
        var e = Assert.Throws<ArgumentException>(() => AnchorClustering.Fit(sizes, 2));
        Assert.Contains("box 1", e.Message, StringComparison.Ordinal);
        var good = tensor(new[] { 10.0, 10, 20, 30 }).reshape(2, 2);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => AnchorClustering.Fit(good, 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => AnchorClustering.Fit(good, 0)).ParamName);
        Assert.Contains("[2, 3]", Assert.Throws<ArgumentException>(() => AnchorClustering.Fit(zeros(2, 3), 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AnchorClustering.Fit(zeros(0, 2), 1));
    }

    private static (double W, double H)[] Sizes(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var (w, h) = Planted[i % Planted.Length];
            return (w * (0.9 + (0.2 * random.NextDouble())), h * (0.9 + (0.2 * random.NextDouble())));
        }).ToArray();
    }

    private static double CentredIou((double W, double H) box, (double Width, double Height) anchor)
    {
        var intersection = Math.Min(box.W, anchor.Width) * Math.Min(box.H, anchor.Height);
        return intersection / ((box.W * box.H) + (anchor.Width * anchor.Height) - intersection);
    }
}

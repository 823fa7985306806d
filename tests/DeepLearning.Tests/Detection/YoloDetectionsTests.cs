using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Heads;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>The YOLO head's selection of detections against hand-computed cases: one label per box, or every class (multi-label).</summary>
public sealed class YoloDetectionsTests
{
    // One cell, one anchor of the whole input, two classes: objectness σ(ln 4) = 0.8, class probabilities softmax(ln 3, 0) = (0.75, 0.25).
    private static Tensor OneBox() => tensor(new float[] { 0, 0, 0, 0, MathF.Log(4), MathF.Log(3), 0 }, [1, 7, 1, 1]);

    private static Tensor Anchor() => tensor(new float[] { 1, 1 }, [1, 2]);

    [Fact]
    public void OneLabelPerBoxKeepsTheMostLikelyClass()
    {
        using var scope = NewDisposeScope();
        var (boxes, scores, labels, count) = YoloDetections.Select(OneBox(), Anchor(), 0.1, 0.45, 10, multiLabel: false);
        Assert.Equal(1, count[0].item<long>());
        Assert.Equal(0.6f, scores[0, 0].item<float>(), 1e-6f);
        Assert.Equal(0, labels[0, 0].item<long>());
        Assert.Equal(new float[] { 0, 0, 1, 1 }, boxes[0, 0].data<float>().ToArray());
        Assert.Equal([1L, 1], scores.shape);
    }

    [Fact]
    public void MultiLabelKeepsEveryClassAboveTheThresholdWithoutSuppressingAcrossClasses()
    {
        using var scope = NewDisposeScope();
        var (boxes, scores, labels, count) = YoloDetections.Select(OneBox(), Anchor(), 0.1, 0.45, 10, multiLabel: true);
        Assert.Equal(2, count[0].item<long>());
        Assert.Equal(new[] { 0.6f, 0.2f }, scores[0].data<float>().ToArray().Select(s => MathF.Round(s, 6)).ToArray());
        Assert.Equal(new long[] { 0, 1 }, labels[0].data<long>().ToArray());
        Assert.Equal(boxes[0, 0].data<float>().ToArray(), boxes[0, 1].data<float>().ToArray());

        var (_, _, _, high) = YoloDetections.Select(OneBox(), Anchor(), 0.3, 0.45, 10, multiLabel: true);
        Assert.Equal(1, high[0].item<long>());
        var (_, capped, _, one) = YoloDetections.Select(OneBox(), Anchor(), 0.1, 0.45, 1, multiLabel: true);
        Assert.Equal(1, one[0].item<long>());
        Assert.Equal(0.6f, capped[0, 0].item<float>(), 1e-6f);
    }

    [Fact]
    public void TheHeadScoresTheSameNetworkWithOtherSelectionSettingsAndLeavesItselfUnchanged()
    {
        using var scope = NewDisposeScope();
        var head = new ObjectDetectionHead { ClassCount = 2, InputWidth = 1, InputHeight = 1, GridWidth = 1, GridHeight = 1, Anchors = [1, 1], ScoreThreshold = 0.1 };
        var output = OneBox().view(1, -1);
        static long Count(Tensor packed) => (long)packed[0, 0].item<float>();

        Assert.Equal(2, Count(head.WithSelection(multiLabel: true, scoreThreshold: 0.1, iouThreshold: 0.45).PostProcess(output)));
        Assert.Equal(1, Count(head.WithSelection(multiLabel: true, scoreThreshold: 0.3, iouThreshold: 0.45).PostProcess(output)));
        Assert.Equal(0, Count(head.WithSelection(multiLabel: false, scoreThreshold: 0.7, iouThreshold: 0.45).PostProcess(output)));
        Assert.Equal(1, Count(head.PostProcess(output)));
        Assert.False(head.MultiLabel);
        Assert.Equal(0.1, head.ScoreThreshold);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => head.WithSelection(multiLabel: false, scoreThreshold: 1.5, iouThreshold: 0.45));
        Assert.Contains("ScoreThreshold = 1.5", error.Message, StringComparison.Ordinal);
    }
}

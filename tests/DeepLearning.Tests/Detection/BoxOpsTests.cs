using DeepLearning.Transforms.Detection;
using TorchSharp;
using static TorchSharp.torch;
using TvFormat = TorchSharp.torchvision.ops.BoxFormats;

namespace DeepLearning.Tests.Detection;

/// <summary>Box conversions, areas and the four IoU measures against TorchVision's ops (the oracle), and named errors.</summary>
public sealed class BoxOpsTests
{
    [Fact]
    public void ConversionsMatchTorchVisionAndRoundTrip()
    {
        using var scope = NewDisposeScope();
        var xyxy = RandomBoxes(50, seed: 1);
        var formats = new[] { (BoxFormat.Xyxy, TvFormat.xyxy), (BoxFormat.Xywh, TvFormat.xywh), (BoxFormat.Cxcywh, TvFormat.cxcywh) };
        foreach (var (from, tvFrom) in formats)
        {
            var source = torchvision.ops.box_convert(xyxy, TvFormat.xyxy, tvFrom);
            foreach (var (to, tvTo) in formats)
            {
                var ours = Boxes.Convert(source, from, to);
                AssertClose(torchvision.ops.box_convert(source, tvFrom, tvTo), ours, 1e-12, $"{from} -> {to}");
                AssertClose(source, Boxes.Convert(ours, to, from), 1e-12, $"{from} -> {to} -> {from}");
            }
        }

        var batched = xyxy.reshape(5, 10, 4);
        AssertClose(Boxes.Convert(xyxy, BoxFormat.Xyxy, BoxFormat.Cxcywh).reshape(5, 10, 4), Boxes.Convert(batched, BoxFormat.Xyxy, BoxFormat.Cxcywh), 0, "leading dimensions");
    }

    [Fact]
    public void PixelsAndNormalisedCoordinatesAreInverse()
    {
        using var scope = NewDisposeScope();
        var normalised = tensor(new[] { 0.5, 0.25, 0.1, 0.2 }).reshape(1, 4);
        var pixels = Boxes.ToPixels(normalised, width: 640, height: 480);
        AssertClose(tensor(new[] { 320.0, 120, 64, 96 }).reshape(1, 4), pixels, 1e-12, "to pixels");
        AssertClose(normalised, Boxes.ToNormalized(pixels, 640, 480), 1e-12, "back");
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => Boxes.ToPixels(normalised, 0, 480)).ParamName);
    }

    [Fact]
    public void AreasAndEveryIouMatrixMatchTorchVision()
    {
        using var scope = NewDisposeScope();
        var first = RandomBoxes(40, seed: 2);
        var second = RandomBoxes(30, seed: 3);
        AssertClose(torchvision.ops.box_area(first), Boxes.Area(first), 1e-10, "area");
        AssertClose(torchvision.ops.box_iou(first, second), BoxIou.Matrix(first, second), 1e-10, "IoU");
        AssertClose(torchvision.ops.generalized_box_iou(first, second), BoxIou.Matrix(first, second, IouKind.Generalized), 1e-6, "GIoU");
        AssertClose(torchvision.ops.distance_box_iou(first, second, 1e-7), BoxIou.Matrix(first, second, IouKind.Distance), 1e-6, "DIoU");
        AssertClose(torchvision.ops.complete_box_iou(first, second, 1e-7), BoxIou.Matrix(first, second, IouKind.Complete), 1e-6, "CIoU");

        var iou = BoxIou.Matrix(first, second);
        Assert.True(iou.gt(0).any().item<bool>() && iou.eq(0).any().item<bool>(), "the random boxes both overlap and miss each other");
        AssertClose(ones(40, dtype: ScalarType.Float64), BoxIou.Matrix(first, first, IouKind.Complete).diagonal(), 1e-6, "identical boxes");
    }

    [Fact]
    public void PairedMeasuresAreTorchVisionsLossesAndGradients()
    {
        var kinds = new (IouKind Kind, Func<Tensor, Tensor, Tensor> Loss)[]
        {
            (IouKind.Generalized, (a, b) => torchvision.ops.generalized_box_iou_loss(a, b, nn.Reduction.Sum, 1e-7)),
            (IouKind.Distance, (a, b) => torchvision.ops.distance_box_iou_loss(a, b, nn.Reduction.Sum, 1e-7)),
            (IouKind.Complete, (a, b) => torchvision.ops.complete_box_iou_loss(a, b, nn.Reduction.Sum, 1e-7)),
        };
        foreach (var (kind, loss) in kinds)
        {
            using var scope = NewDisposeScope();
            var target = RandomBoxes(25, seed: 4);
            var ours = RandomBoxes(25, seed: 5).requires_grad_(true);
            var theirs = ours.detach().clone().requires_grad_(true);
            var ourLoss = (1 - BoxIou.Paired(ours, target, kind)).sum();
            var theirLoss = loss(theirs, target);
            AssertClose(theirLoss, ourLoss, 1e-6, $"{kind} loss");
            ourLoss.backward();
            theirLoss.backward();
            AssertClose(theirs.grad!, ours.grad!, 1e-6, $"{kind} gradient");
        }
    }

    [Fact]
    public void BadBoxesAreNamedWithTheirIndexAndValues()
    {
        using var scope = NewDisposeScope();
        var good = RandomBoxes(3, seed: 6);
        var inverted = good.clone();
        inverted[1, 2] = tensor(-5.0);
        var e = Assert.Throws<ArgumentException>(() => BoxIou.Matrix(good, inverted));
        Assert.Equal("second", e.ParamName);
        Assert.Contains("box 1 of 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("-5", e.Message, StringComparison.Ordinal);

        var nan = good.clone();
        nan[2, 0] = tensor(double.NaN);
        Assert.Contains("box 2", Assert.Throws<ArgumentException>(() => BoxIou.Paired(nan, good)).Message, StringComparison.Ordinal);
        Assert.Contains("[3, 3]", Assert.Throws<ArgumentException>(() => BoxIou.Matrix(good[.., ..3], good)).Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 4]", Assert.Throws<ArgumentException>(() => BoxIou.Matrix(good.unsqueeze(0), good)).Message, StringComparison.Ordinal);
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => Boxes.Convert(zeros(2, 4, ScalarType.Int64), BoxFormat.Xyxy, BoxFormat.Xywh)).Message, StringComparison.Ordinal);
    }

    /// <summary>Random corner boxes in a 100×100 image, 1 to 40 wide and high, float64.</summary>
    internal static Tensor RandomBoxes(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count * 4];
        for (var i = 0; i < count; i++)
        {
            double x = random.NextDouble() * 100, y = random.NextDouble() * 100;
            values[(4 * i) + 0] = x;
            values[(4 * i) + 1] = y;
            values[(4 * i) + 2] = x + 1 + (random.NextDouble() * 39);
            values[(4 * i) + 3] = y + 1 + (random.NextDouble() * 39);
        }

        return tensor(values).reshape(count, 4);
    }

    internal static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"{what}: largest difference {difference} > {tolerance}");
    }
}

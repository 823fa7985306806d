using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>The YOLO loss: its terms against a hand computation, the assignment of objects to cells and anchors, and the ignore rule.</summary>
public sealed class YoloLossTests
{
    // A 2×2 grid on a 64×64 input, 2 classes, so E = 7 values per anchor.
    private const int Grid = 2;
    private const int Classes = 2;
    private const int E = 5 + Classes;

    [Fact]
    public void TheLossIsWeightedBoxPlusObjectnessPlusClassAsComputedByHand()
    {
        using var scope = NewDisposeScope();
        var task = new ObjectDetectionTask { BoxWeight = 5, ObjectWeight = 2, NoObjectWeight = 0.5, ClassWeight = 3, BoxLoss = IouKind.Complete };
        var loss = new YoloLoss(task, Layout([32, 32]));

        // One object of class 1 with corners (0.1, 0.1)-(0.4, 0.5): centre (0.25, 0.3), in cell row 0, column 0.
        var target = tensor(new float[] { 1, 0.1f, 0.1f, 0.4f, 0.5f, -1, 0, 0, 0, 0 }).view(1, 2, 5);
        var values = new float[E * Grid * Grid];
        float[] responsible = [0.2f, -0.3f, -0.4f, 0.1f, 0.7f, 0.5f, 1.5f]; // tx, ty, tw, th, objectness, class scores
        float[] others = [0.0f, 0.0f, -6f, -6f, -1.2f, 0, 0]; // tiny boxes far from the object: no IoU with it, so none is ignored
        for (var cell = 0; cell < Grid * Grid; cell++)
        {
            var source = cell == 0 ? responsible : others;
            for (var v = 0; v < E; v++)
            {
                values[(v * Grid * Grid) + cell] = source[v];
            }
        }

        var output = tensor(values).view(1, E, Grid, Grid);

        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        // The responsible prediction: centre ((0 + σ(tx)) / 2, (0 + σ(ty)) / 2), size (exp(tw) · 1 / 2, exp(th) · 1 / 2) (the anchor is 1 cell).
        double cx = Sigmoid(0.2) / 2, cy = Sigmoid(-0.3) / 2, w = Math.Exp(-0.4) / 2, h = Math.Exp(0.1) / 2;
        using var predicted = tensor(new[] { (float)(cx - (w / 2)), (float)(cy - (h / 2)), (float)(cx + (w / 2)), (float)(cy + (h / 2)) }).view(1, 4);
        double ciou = BoxIou.Paired(predicted, tensor(new float[] { 0.1f, 0.1f, 0.4f, 0.5f }).view(1, 4), IouKind.Complete).item<float>();
        double objectness = -Math.Log(Sigmoid(0.7));
        double empty = 3 * -Math.Log(1 - Sigmoid(-1.2));
        double classes = Math.Log(Math.Exp(0.5) + Math.Exp(1.5)) - 1.5;
        double expected = (5 * (1 - ciou)) + (2 * objectness) + (0.5 * empty) + (3 * classes);
        Assert.Equal(expected, loss.Loss(output, target).item<float>(), 4);

        // An image without objects has only the empty-anchor term, and the batch mean divides by its size.
        var none = tensor(new float[] { -1, 0, 0, 0, 0, -1, 0, 0, 0, 0 }).view(1, 2, 5);
        double allEmpty = 0.5 * ((3 * -Math.Log(1 - Sigmoid(-1.2))) + -Math.Log(1 - Sigmoid(0.7)));
        Assert.Equal((expected + allEmpty) / 2, loss.Loss(cat([output, output]), cat([target, none])).item<float>(), 4);
    }

    [Fact]
    public void AnObjectTrainsTheAnchorOfItsShapeInTheCellOfItsCentre()
    {
        using var scope = NewDisposeScope();
        var loss = new YoloLoss(new ObjectDetectionTask(), Layout([8, 8, 40, 24]));
        // A wide object centred in the bottom-right cell: anchor 1 (40×24 px) fits it better than anchor 0 (8×8).
        var target = tensor(new float[] { 0, 0.55f, 0.65f, 0.95f, 0.9f }).view(1, 1, 5);
        var output = zeros(1, 2 * E, Grid, Grid).requires_grad_();
        loss.Loss(output, target).backward();
        var grad = output.grad!.view(2, E, Grid, Grid);
        var boxGrad = grad[.., ..4].abs().sum(1); // [anchor, row, col]: only the responsible anchor's box values get gradient
        Assert.True(boxGrad[1, 1, 1].item<float>() > 0, "the wide anchor of the bottom-right cell learns the box");
        Assert.Equal(0, boxGrad.sum().item<float>() - boxGrad[1, 1, 1].item<float>(), 6);
        var classGrad = grad[.., 5..].abs().sum(1);
        Assert.Equal(0, classGrad.sum().item<float>() - classGrad[1, 1, 1].item<float>(), 6);
        // Objectness: pushed up where the object is, down everywhere else.
        var objectness = grad[.., YoloGridDecoder.Objectness];
        Assert.True(objectness[1, 1, 1].item<float>() < 0);
        Assert.True(objectness.flatten().index_select(0, tensor(new long[] { 0, 1, 2, 3, 4, 5, 6 })).gt(0).all().item<bool>());
    }

    [Fact]
    public void AnEmptyAnchorWhosePredictionAlreadyOverlapsAnObjectIsNotPushedDown()
    {
        using var scope = NewDisposeScope();
        // One anchor of a whole cell; the object fills cell (0, 0). Cell (0, 1) predicts a box of the same size at
        // its own left edge: IoU with the object 1/3 (half-overlapping equal squares).
        var target = tensor(new float[] { 0, 0, 0, 0.5f, 0.5f }).view(1, 1, 5);
        var values = zeros(1, E, Grid, Grid);
        values[0, 0, 0, 1] = -20; // σ(tx) ≈ 0: centre at the left edge of cell (0, 1), x = 0.5; box x from 0.25 to 0.75
        values[0, 4] = full([Grid, Grid], 0.3f);
        double Loss(double ignore) => new YoloLoss(new ObjectDetectionTask { IgnoreThreshold = ignore }, Layout([32, 32])).Loss(values, target).item<float>();
        double pushedDown = -Math.Log(1 - (1 / (1 + Math.Exp(-0.3))));
        Assert.Equal(pushedDown, Loss(1.0) - Loss(0.3), 4);
        Assert.Equal(Loss(1.0), Loss(0.5), 6);
    }

    private static DetectionLayout Layout(float[] anchors) => new(Classes, null, 64, 64, Grid, Grid, anchors);
}

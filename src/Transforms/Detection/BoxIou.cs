using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Overlap of corner boxes (<see cref="BoxFormat.Xyxy"/>) as IoU, generalised, distance or complete IoU
/// (<see cref="IouKind"/>): every pair of two sets (<see cref="Matrix"/>) or matching pairs
/// (<see cref="Paired"/>, what box-regression losses use). One formula serves both, on broadcast tensors.
/// </summary>
public static class BoxIou
{
    /// <summary>Guards the divisions of the generalised, distance and complete variants (as torchvision's 1e-7).</summary>
    private const double Epsilon = 1e-7;

    /// <summary>The overlap of every box of <paramref name="first"/> with every box of <paramref name="second"/>.</summary>
    /// <param name="first">Boxes <c>[N, 4]</c>, corners.</param>
    /// <param name="second">Boxes <c>[M, 4]</c>, corners.</param>
    /// <param name="kind">The measure. Default <see cref="IouKind.Iou"/>.</param>
    /// <returns>Shape <c>[N, M]</c>.</returns>
    /// <exception cref="ArgumentException">A tensor is not <c>[K, 4]</c> floating point, or a box is inverted or not finite.</exception>
    public static Tensor Matrix(Tensor first, Tensor second, IouKind kind = IouKind.Iou)
    {
        Require(first, nameof(first), 2);
        Require(second, nameof(second), 2);
        Validation.OptionCheck.RequireDefined(kind, nameof(kind));
        using var scope = NewDisposeScope();
        return Compute(first.unsqueeze(1), second.unsqueeze(0), kind).MoveToOuterDisposeScope();
    }

    /// <summary>The overlap of each box of <paramref name="first"/> with the box at the same place in <paramref name="second"/>.</summary>
    /// <param name="first">Boxes <c>[..., 4]</c>, corners.</param>
    /// <param name="second">Boxes of the same shape (or broadcastable to it), corners.</param>
    /// <param name="kind">The measure. Default <see cref="IouKind.Iou"/>.</param>
    /// <returns>Shape <c>[...]</c>.</returns>
    /// <exception cref="ArgumentException">A tensor is not <c>[..., 4]</c> floating point, or a box is inverted or not finite.</exception>
    public static Tensor Paired(Tensor first, Tensor second, IouKind kind = IouKind.Iou)
    {
        Require(first, nameof(first), null);
        Require(second, nameof(second), null);
        Validation.OptionCheck.RequireDefined(kind, nameof(kind));
        using var scope = NewDisposeScope();
        return Compute(first, second, kind).MoveToOuterDisposeScope();
    }

    /// <summary>The measure on broadcast corner boxes, without validation (for losses and NMS inside the library).</summary>
    internal static Tensor Compute(Tensor first, Tensor second, IouKind kind)
    {
        var (ax1, ay1, ax2, ay2) = Boxes.Split(first);
        var (bx1, by1, bx2, by2) = Boxes.Split(second);
        var width = (minimum(ax2, bx2) - maximum(ax1, bx1)).clamp_min(0);
        var height = (minimum(ay2, by2) - maximum(ay1, by1)).clamp_min(0);
        var intersection = width * height;
        var union = Boxes.CornerArea(first) + Boxes.CornerArea(second) - intersection;
        var iou = kind == IouKind.Iou ? intersection / union : intersection / (union + Epsilon);
        if (kind == IouKind.Iou)
        {
            return iou;
        }

        // The smallest box enclosing both.
        var enclosingWidth = maximum(ax2, bx2) - minimum(ax1, bx1);
        var enclosingHeight = maximum(ay2, by2) - minimum(ay1, by1);
        if (kind == IouKind.Generalized)
        {
            var enclosing = enclosingWidth * enclosingHeight;
            return iou - ((enclosing - union) / (enclosing + Epsilon));
        }

        var diagonal = enclosingWidth.square() + enclosingHeight.square() + Epsilon;
        var centres = ((ax1 + ax2 - bx1 - bx2) / 2).square() + ((ay1 + ay2 - by1 - by2) / 2).square();
        var distance = iou - (centres / diagonal);
        if (kind == IouKind.Distance)
        {
            return distance;
        }

        var aspect = atan((ax2 - ax1) / (ay2 - ay1)) - atan((bx2 - bx1) / (by2 - by1));
        var v = aspect.square() * (4 / (Math.PI * Math.PI));
        Tensor alpha;
        using (no_grad())
        {
            alpha = v / (1 - iou + v + Epsilon);
        }

        return distance - (alpha * v);
    }

    private static void Require(Tensor boxes, string name, int? dimensions)
    {
        Boxes.RequireBoxes(boxes, name);
        if (dimensions is { } d && boxes.dim() != d)
        {
            throw new ArgumentException($"{name} must have shape [K, 4]; it has [{string.Join(", ", boxes.shape)}].", name);
        }

        Boxes.RequireCorners(boxes, name);
    }
}

using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Decodes a YOLOv2 output grid <c>[N, A · E, Gh, Gw]</c> (per anchor a: channels a·E … a·E + E − 1 =
/// tx, ty, tw, th, objectness, class scores) cell by cell, in the order row, column, anchor:
/// centre ((col + σ(tx)) / Gw, (row + σ(ty)) / Gh), size (exp(tw) · anchor width / Gw, exp(th) · anchor height / Gh),
/// objectness σ(objectness) (as face-api's TinyYolov2). Coordinates are normalised to the input.
/// </summary>
internal static class YoloGridDecoder
{
    /// <summary>Values per anchor before the class scores: tx, ty, tw, th, objectness.</summary>
    public const int BoxValues = 5;

    /// <summary>Index of the objectness logit within a cell's values.</summary>
    public const int Objectness = 4;

    /// <summary>Boxes <c>[N, Gh·Gw·A, 4]</c> (corners, normalised) and objectness <c>[N, Gh·Gw·A]</c>.</summary>
    /// <param name="output">The network's raw output <c>[N, A · E, Gh, Gw]</c>.</param>
    /// <param name="anchors">Anchor sizes in grid cells <c>[A, 2]</c> (width, height).</param>
    public static (Tensor Boxes, Tensor Scores) Decode(Tensor output, Tensor anchors)
    {
        using var scope = NewDisposeScope();
        var cells = Cells(output, anchors.shape[0]);
        var boxes = Corners(cells, output.shape[^2], output.shape[^1], anchors);
        var scores = cells[TensorIndex.Ellipsis, Objectness].sigmoid();
        return (boxes.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    /// <summary>The raw values of every cell and anchor, <c>[N, Gh·Gw·A, E]</c> in the order row, column, anchor.</summary>
    /// <param name="output">The network's raw output <c>[N, A · E, Gh, Gw]</c>.</param>
    /// <param name="anchorCount">A.</param>
    public static Tensor Cells(Tensor output, long anchorCount)
    {
        var (batch, gridHeight, gridWidth) = (output.shape[0], output.shape[^2], output.shape[^1]);
        var encoding = output.shape[1] / anchorCount;
        return output.view(batch, anchorCount, encoding, gridHeight, gridWidth).permute(0, 3, 4, 1, 2).reshape(batch, -1, encoding);
    }

    /// <summary>
    /// The boxes <c>[N, Gh·Gw·A, 4]</c> (corners, normalised to the input) that cells <c>[N, Gh·Gw·A, E]</c>
    /// (from <see cref="Cells"/>) predict with anchors <c>[A, 2]</c> in grid cells; differentiable.
    /// </summary>
    public static Tensor Corners(Tensor cells, long gridHeight, long gridWidth, Tensor anchors)
    {
        var (batch, count) = (cells.shape[0], anchors.shape[0]);
        var grid = cells.view(batch, gridHeight, gridWidth, count, -1);
        var cols = arange(gridWidth, cells.dtype, cells.device).view(1, 1, gridWidth, 1);
        var rows = arange(gridHeight, cells.dtype, cells.device).view(1, gridHeight, 1, 1);
        var size = anchors.to(cells.dtype, cells.device);
        var centreX = grid[TensorIndex.Ellipsis, 0].sigmoid().add(cols).div(gridWidth);
        var centreY = grid[TensorIndex.Ellipsis, 1].sigmoid().add(rows).div(gridHeight);
        var width = grid[TensorIndex.Ellipsis, 2].exp().mul(size[.., 0]).div(gridWidth);
        var height = grid[TensorIndex.Ellipsis, 3].exp().mul(size[.., 1]).div(gridHeight);
        var halfWidth = width / 2;
        var halfHeight = height / 2;
        return stack([centreX - halfWidth, centreY - halfHeight, centreX + halfWidth, centreY + halfHeight], -1).view(batch, -1, 4);
    }
}

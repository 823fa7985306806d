using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Decodes a YOLOv2 output grid <c>[N, A · E, G, G]</c> (per anchor a: channels a·E … a·E + E − 1 =
/// tx, ty, tw, th, objectness, class scores) into candidate boxes, in the order row, column, anchor:
/// centre ((col + σ(tx)) / G, (row + σ(ty)) / G), size (exp(tw) · anchor width / G, exp(th) · anchor height / G),
/// score σ(objectness) (as face-api's TinyYolov2 with one class). Coordinates are normalised to the input square.
/// </summary>
internal static class YoloGridDecoder
{
    /// <summary>Boxes <c>[N, G·G·A, 4]</c> (corners, normalised) and scores <c>[N, G·G·A]</c>.</summary>
    /// <param name="output">The network's raw output <c>[N, A · E, G, G]</c>.</param>
    /// <param name="anchors">Anchor sizes in grid cells <c>[A, 2]</c> (width, height).</param>
    public static (Tensor Boxes, Tensor Scores) Decode(Tensor output, Tensor anchors)
    {
        var (batch, grid, count) = (output.shape[0], output.shape[^1], anchors.shape[0]);
        var encoding = output.shape[1] / count;
        using var scope = NewDisposeScope();
        var cells = output.view(batch, count, encoding, grid, grid).permute(0, 3, 4, 1, 2);
        var cols = arange(grid, output.dtype, output.device).view(1, 1, grid, 1);
        var rows = arange(grid, output.dtype, output.device).view(1, grid, 1, 1);
        var centreX = cells[TensorIndex.Ellipsis, 0].sigmoid().add(cols).div(grid);
        var centreY = cells[TensorIndex.Ellipsis, 1].sigmoid().add(rows).div(grid);
        var width = cells[TensorIndex.Ellipsis, 2].exp().mul(anchors[.., 0]).div(grid);
        var height = cells[TensorIndex.Ellipsis, 3].exp().mul(anchors[.., 1]).div(grid);
        var boxes = stack([centreX, centreY, width, height], -1).view(batch, -1, 4);
        var scores = cells[TensorIndex.Ellipsis, 4].sigmoid().reshape(batch, -1);
        return (Boxes.Convert(boxes, BoxFormat.Cxcywh, BoxFormat.Xyxy).MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }
}

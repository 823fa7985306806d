using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// How geometric augmentation steps move boxes: batched maps of normalised corner boxes <c>[B, M, 4]</c>
/// (<c>x1, y1, x2, y2</c> as fractions of the image's width and height, one map per sample) and the
/// clipping rule applied after each step. No per-box loop.
/// </summary>
/// <remarks>
/// Removal rule: after a step a box is clipped to the image, and removed (no longer an object) when
/// its clipped area is below <see cref="MinVisibleFraction"/> of its moved area before clipping, or its
/// clipped width or height is under one pixel. The rule applies per step, as each step loses the pixels
/// it moves out of the image.
/// </remarks>
internal static class BoxGeometry
{
    /// <summary>The share of a moved box's area that must stay inside the image for the box to be kept: 0.25.</summary>
    public const double MinVisibleFraction = 0.25;

    /// <summary>Slack on the one-pixel rule for float rounding, in pixels.</summary>
    private const double PixelSlack = 1e-3;

    /// <summary>Boxes mirrored left–right: <c>x → 1 − x</c>.</summary>
    public static Tensor FlipHorizontal(Tensor boxes)
    {
        var (x1, y1, x2, y2) = Boxes.Split(boxes);
        return stack([1 - x2, y1, 1 - x1, y2], -1);
    }

    /// <summary>Boxes mirrored top–bottom: <c>y → 1 − y</c>.</summary>
    public static Tensor FlipVertical(Tensor boxes)
    {
        var (x1, y1, x2, y2) = Boxes.Split(boxes);
        return stack([x1, 1 - y2, x2, 1 - y1], -1);
    }

    /// <summary>Boxes shifted by (<paramref name="dx"/>, <paramref name="dy"/>) per sample, <c>[B]</c> each, in fractions of the image.</summary>
    public static Tensor Shift(Tensor boxes, Tensor dx, Tensor dy)
    {
        var shift = stack([dx, dy, dx, dy], -1).to_type(boxes.dtype).view(-1, 1, 4);
        return boxes + shift;
    }

    /// <summary>
    /// The boxes of the images sampled through <paramref name="theta"/> <c>[B, 2, 3]</c> (output → input in
    /// <c>affine_grid</c>'s coordinates, <c>align_corners</c> false): each box's four corners go through the
    /// inverse map and the result is their envelope, exact for maps without rotation.
    /// </summary>
    public static Tensor Affine(Tensor boxes, Tensor theta)
    {
        var t = theta.to_type(boxes.dtype).to(boxes.device);
        var (a, b, tx) = (Row(t, 0, 0), Row(t, 0, 1), Row(t, 0, 2));
        var (c, d, ty) = (Row(t, 1, 0), Row(t, 1, 1), Row(t, 1, 2));
        var det = (a * d) - (b * c);
        var (x1, y1, x2, y2) = Boxes.Split(boxes);

        // Corners in grid coordinates [-1, 1], shape [B, M, 4], relative to the map's shift.
        var gx = (stack([x1, x2, x2, x1], -1) * 2) - 1 - tx;
        var gy = (stack([y1, y1, y2, y2], -1) * 2) - 1 - ty;
        var ox = ((((d * gx) - (b * gy)) / det) + 1) / 2;
        var oy = ((((a * gy) - (c * gx)) / det) + 1) / 2;
        return stack([ox.amin(-1), oy.amin(-1), ox.amax(-1), oy.amax(-1)], -1);
    }

    /// <summary>
    /// Clips <paramref name="boxes"/> to the image and says which are kept by the removal rule (see the class
    /// remarks); removed boxes become 0.
    /// </summary>
    /// <param name="boxes">Moved boxes <c>[B, M, 4]</c>, possibly outside the image or inverted (fully outside).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static (Tensor Boxes, Tensor Kept) Clip(Tensor boxes, long width, long height)
    {
        var clipped = boxes.clamp(0, 1);
        var (x1, y1, x2, y2) = Boxes.Split(clipped);
        var (w, h) = ((x2 - x1).clamp_min(0), (y2 - y1).clamp_min(0));
        var (u1, v1, u2, v2) = Boxes.Split(boxes);
        var area = (u2 - u1).clamp_min(0) * (v2 - v1).clamp_min(0);
        var kept = (w * width).ge(1 - PixelSlack)
            .logical_and((h * height).ge(1 - PixelSlack))
            .logical_and((w * h).ge(area * MinVisibleFraction));
        return (clipped.masked_fill(kept.logical_not().unsqueeze(-1), 0), kept);
    }

    private static Tensor Row(Tensor theta, int row, int column) => theta[.., row, column].view(-1, 1, 1);
}

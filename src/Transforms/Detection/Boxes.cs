using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// Conversions of box tensors, shape <c>[..., 4]</c> (any leading dimensions, e.g. <c>[N, 4]</c> or
/// <c>[B, N, 4]</c>), between the layouts of <see cref="BoxFormat"/> and between pixels and coordinates
/// normalised by the image size. Every operation is batched: one tensor in, one out, no per-box loop.
/// </summary>
public static class Boxes
{
    /// <summary>Returns <paramref name="boxes"/> converted from layout <paramref name="from"/> to <paramref name="to"/> (a new tensor, same shape).</summary>
    /// <param name="boxes">Boxes, shape <c>[..., 4]</c>, floating point.</param>
    /// <param name="from">Their layout.</param>
    /// <param name="to">The layout wanted.</param>
    /// <exception cref="ArgumentException">The last dimension is not 4 or the tensor is not floating point.</exception>
    public static Tensor Convert(Tensor boxes, BoxFormat from, BoxFormat to)
    {
        RequireBoxes(boxes, nameof(boxes));
        RequireFormat(from, nameof(from));
        RequireFormat(to, nameof(to));
        if (from == to)
        {
            return boxes.clone();
        }

        using var scope = NewDisposeScope();
        return FromXyxy(ToXyxy(boxes, from), to).MoveToOuterDisposeScope();
    }

    /// <summary>Scales normalised boxes (coordinates as fractions of the image's width and height) to pixels.</summary>
    /// <param name="boxes">Normalised boxes, shape <c>[..., 4]</c>, in any <see cref="BoxFormat"/> (x and width scale by the width, y and height by the height).</param>
    /// <param name="width">Image width in pixels; greater than 0.</param>
    /// <param name="height">Image height in pixels; greater than 0.</param>
    public static Tensor ToPixels(Tensor boxes, double width, double height)
    {
        RequireBoxes(boxes, nameof(boxes));
        RequireSize(width, height);
        using var scope = NewDisposeScope();
        return boxes.mul(Scale(boxes, width, height)).MoveToOuterDisposeScope();
    }

    /// <summary>Scales boxes in pixels to coordinates normalised by the image size (the inverse of <see cref="ToPixels"/>).</summary>
    /// <param name="boxes">Boxes in pixels, shape <c>[..., 4]</c>, in any <see cref="BoxFormat"/>.</param>
    /// <param name="width">Image width in pixels; greater than 0.</param>
    /// <param name="height">Image height in pixels; greater than 0.</param>
    public static Tensor ToNormalized(Tensor boxes, double width, double height)
    {
        RequireBoxes(boxes, nameof(boxes));
        RequireSize(width, height);
        using var scope = NewDisposeScope();
        return boxes.div(Scale(boxes, width, height)).MoveToOuterDisposeScope();
    }

    /// <summary>Areas of corner boxes: <c>(x2 − x1)·(y2 − y1)</c>, shape <c>[...]</c>.</summary>
    /// <param name="boxes">Boxes in <see cref="BoxFormat.Xyxy"/>, shape <c>[..., 4]</c>.</param>
    public static Tensor Area(Tensor boxes)
    {
        RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        return CornerArea(boxes).MoveToOuterDisposeScope();
    }

    /// <summary>Throws naming <paramref name="name"/> and the first offending box unless every box has <c>x2 ≥ x1</c>, <c>y2 ≥ y1</c> and finite coordinates.</summary>
    /// <param name="boxes">Boxes in <see cref="BoxFormat.Xyxy"/>, shape <c>[..., 4]</c>.</param>
    /// <param name="name">The argument or column named in the message.</param>
    /// <exception cref="ArgumentException">A box is inverted or not finite.</exception>
    public static void RequireCorners(Tensor boxes, string name)
    {
        RequireBoxes(boxes, name);
        using var scope = NewDisposeScope();
        var flat = boxes.reshape(-1, 4);
        var bad = flat.isfinite().all(1).logical_not()
            .logical_or(flat[.., 2].lt(flat[.., 0]))
            .logical_or(flat[.., 3].lt(flat[.., 1]))
            .nonzero();
        if (bad.shape[0] > 0)
        {
            long row = bad[0, 0].item<long>();
            var values = flat[row].to_type(ScalarType.Float64).data<double>().ToArray();
            throw new ArgumentException($"{name}: box {row} of {flat.shape[0]} is ({string.Join(", ", values)}): corner boxes (x1, y1, x2, y2) need finite coordinates with x2 ≥ x1 and y2 ≥ y1.", name);
        }
    }

    /// <summary>Corner boxes from any layout (no validation).</summary>
    internal static Tensor ToXyxy(Tensor boxes, BoxFormat from)
    {
        if (from == BoxFormat.Xyxy)
        {
            return boxes.alias();
        }

        var (a, b, c, d) = Split(boxes);
        return from == BoxFormat.Xywh
            ? stack([a, b, a + c, b + d], -1)
            : stack([a - (c / 2), b - (d / 2), a + (c / 2), b + (d / 2)], -1);
    }

    /// <summary>Areas of corner boxes (no validation).</summary>
    internal static Tensor CornerArea(Tensor boxes)
    {
        var (x1, y1, x2, y2) = Split(boxes);
        return (x2 - x1) * (y2 - y1);
    }

    /// <summary>The four coordinates of <paramref name="boxes"/> as views of shape <c>[...]</c>.</summary>
    internal static (Tensor A, Tensor B, Tensor C, Tensor D) Split(Tensor boxes)
    {
        var parts = boxes.unbind(-1);
        return (parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>Requires a floating-point tensor whose last dimension is 4.</summary>
    internal static void RequireBoxes(Tensor boxes, string name)
    {
        ArgumentNullException.ThrowIfNull(boxes, name);
        if (boxes.dim() < 1 || boxes.shape[^1] != 4 || !boxes.is_floating_point())
        {
            throw new ArgumentException($"{name} must be a floating-point tensor of boxes with shape [..., 4]; it is {boxes.dtype} [{string.Join(", ", boxes.shape)}].", name);
        }
    }

    private static Tensor FromXyxy(Tensor boxes, BoxFormat to)
    {
        if (to == BoxFormat.Xyxy)
        {
            return boxes.alias();
        }

        var (x1, y1, x2, y2) = Split(boxes);
        return to == BoxFormat.Xywh
            ? stack([x1, y1, x2 - x1, y2 - y1], -1)
            : stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], -1);
    }

    private static Tensor Scale(Tensor boxes, double width, double height)
        => tensor(new[] { width, height, width, height }, boxes.dtype, boxes.device);

    private static void RequireFormat(BoxFormat format, string name)
        => Validation.OptionCheck.RequireDefined(format, name);

    private static void RequireSize(double width, double height)
    {
        Validation.OptionCheck.Require(width > 0 && double.IsFinite(width), width, nameof(width), "greater than 0 and finite");
        Validation.OptionCheck.Require(height > 0 && double.IsFinite(height), height, nameof(height), "greater than 0 and finite");
    }
}

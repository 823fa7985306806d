using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// The geometry of a letterbox: an image of <see cref="SourceWidth"/>×<see cref="SourceHeight"/> pixels
/// resized by <see cref="Scale"/> (keeping its aspect ratio) to fit a <see cref="Size"/>² square and placed
/// at (<see cref="PadX"/>, <see cref="PadY"/>), the rest padded. It maps boxes both ways, so detections on
/// the square come back in the original image's pixels.
/// </summary>
/// <param name="SourceWidth">Width of the original image in pixels.</param>
/// <param name="SourceHeight">Height of the original image in pixels.</param>
/// <param name="Size">Side of the square in pixels.</param>
/// <param name="Scale">Factor from original to square pixels.</param>
/// <param name="PadX">Left padding in square pixels.</param>
/// <param name="PadY">Top padding in square pixels.</param>
public sealed record Letterbox(int SourceWidth, int SourceHeight, int Size, double Scale, int PadX, int PadY)
{
    /// <summary>Width of the resized image inside the square.</summary>
    public int ContentWidth => Math.Max(1, (int)Math.Round(SourceWidth * Scale));

    /// <summary>Height of the resized image inside the square.</summary>
    public int ContentHeight => Math.Max(1, (int)Math.Round(SourceHeight * Scale));

    /// <summary>The letterbox fitting a <paramref name="width"/>×<paramref name="height"/> image into a <paramref name="size"/>² square.</summary>
    /// <param name="width">Image width in pixels; at least 1.</param>
    /// <param name="height">Image height in pixels; at least 1.</param>
    /// <param name="size">Side of the square; at least 1.</param>
    /// <param name="alignment">Where the image sits. Default <see cref="LetterboxAlignment.Centre"/>.</param>
    public static Letterbox Fit(int width, int height, int size, LetterboxAlignment alignment = LetterboxAlignment.Centre)
    {
        Validation.OptionCheck.Require(width >= 1, width, nameof(width), "at least 1");
        Validation.OptionCheck.Require(height >= 1, height, nameof(height), "at least 1");
        Validation.OptionCheck.Require(size >= 1, size, nameof(size), "at least 1");
        Validation.OptionCheck.RequireDefined(alignment, nameof(alignment));
        double scale = Math.Min((double)size / width, (double)size / height);
        var box = new Letterbox(width, height, size, scale, 0, 0);
        return alignment == LetterboxAlignment.TopLeft
            ? box
            : box with { PadX = (size - box.ContentWidth) / 2, PadY = (size - box.ContentHeight) / 2 };
    }

    /// <summary>Resizes (bilinear, pixel centres aligned) and pads images of the source size into the square.</summary>
    /// <param name="images">Images <c>[B, C, SourceHeight, SourceWidth]</c> or <c>[C, SourceHeight, SourceWidth]</c>, floating point.</param>
    /// <param name="fill">Value of the padding. Default 0.5 (YOLO's grey on a [0, 1] scale).</param>
    /// <returns>Images <c>[B, C, Size, Size]</c> (or <c>[C, Size, Size]</c>).</returns>
    /// <exception cref="ArgumentException">The images are not of the source size.</exception>
    public Tensor Apply(Tensor images, double fill = 0.5)
    {
        ArgumentNullException.ThrowIfNull(images);
        bool single = images.dim() == 3;
        if (images.dim() is not (3 or 4) || images.shape[^1] != SourceWidth || images.shape[^2] != SourceHeight || !images.is_floating_point())
        {
            throw new ArgumentException($"{nameof(images)} must be floating-point images [B, C, {SourceHeight}, {SourceWidth}] or [C, {SourceHeight}, {SourceWidth}]; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var scope = NewDisposeScope();
        var batch = single ? images.unsqueeze(0) : images;
        var resized = nn.functional.interpolate(batch, [ContentHeight, ContentWidth], mode: InterpolationMode.Bilinear, align_corners: false);
        var square = full([batch.shape[0], batch.shape[1], Size, Size], fill, batch.dtype, batch.device);
        square[.., .., PadY..(PadY + ContentHeight), PadX..(PadX + ContentWidth)] = resized;
        return (single ? square[0] : square).MoveToOuterDisposeScope();
    }

    /// <summary>Maps corner boxes from original pixels to square pixels.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c>, corners, original pixels.</param>
    public Tensor ToSquare(Tensor boxes)
    {
        Boxes.RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        return boxes.mul(Scale).add(Offset(boxes)).MoveToOuterDisposeScope();
    }

    /// <summary>Maps corner boxes from square pixels back to original pixels, clipped to the image.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c>, corners, square pixels (e.g. detections).</param>
    public Tensor ToSource(Tensor boxes)
    {
        Boxes.RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        var limits = tensor(new[] { SourceWidth, SourceHeight, SourceWidth, SourceHeight }, boxes.dtype, boxes.device);
        return boxes.sub(Offset(boxes)).div(Scale).clamp(zeros_like(limits), limits).MoveToOuterDisposeScope();
    }

    private Tensor Offset(Tensor boxes) => tensor(new double[] { PadX, PadY, PadX, PadY }, boxes.dtype, boxes.device);
}

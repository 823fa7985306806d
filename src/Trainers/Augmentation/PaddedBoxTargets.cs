using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Detection targets <c>[B, M, 5]</c>: per row up to M objects as (class, x1, y1, x2, y2), the corners
/// normalised by the image size; rows of class &lt; 0 are padding (no object). Removed objects get class −1
/// and box 0.
/// </summary>
internal sealed class PaddedBoxTargets : IBoxTargets
{
    /// <summary>Values per object: the class, then the four corners.</summary>
    public const int ObjectLength = 5;

    private const int ClassIndex = 0;
    private const int FirstCorner = 1;

    /// <inheritdoc />
    public (Tensor Boxes, Tensor Valid) Read(Tensor target)
    {
        RequireLayout(target);
        return (target[.., .., FirstCorner..].to_type(ScalarType.Float32), target[.., .., ClassIndex].ge(0));
    }

    /// <inheritdoc />
    public Tensor Write(Tensor target, Tensor boxes, Tensor valid)
    {
        RequireLayout(target);
        var classes = target[.., .., ClassIndex..FirstCorner].masked_fill(valid.logical_not().unsqueeze(-1), -1);
        var corners = boxes.to_type(target.dtype).masked_fill(valid.logical_not().unsqueeze(-1), 0);
        return cat([classes, corners], -1);
    }

    private static void RequireLayout(Tensor target)
    {
        if (target.dim() != 3 || target.shape[2] != ObjectLength || !target.is_floating_point())
        {
            throw new ArgumentException($"Detection targets must be floating point [B, M, {ObjectLength}] (class, x1, y1, x2, y2), not {target.dtype} [{string.Join(", ", target.shape)}].", nameof(target));
        }
    }
}

using DeepLearning.Trainers.Augmentation;
using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// The box of object-localisation targets <c>[B, 6]</c> = (presence, class, cx, cy, w, h), the box as
/// fractions of the input (see <see cref="LocalizationBinding"/>): one box per row, an object when the
/// presence is above one half. A removed box gives presence 0, class −1 and box 0, as a row without an object.
/// </summary>
internal sealed class LocalizationBoxTargets : IBoxTargets
{
    private const int Presence = 0;
    private const int Class = 1;
    private const int FirstBoxValue = 2;

    /// <inheritdoc />
    public (Tensor Boxes, Tensor Valid) Read(Tensor target)
    {
        RequireLayout(target);
        var corners = Boxes.Convert(target[.., FirstBoxValue..].to_type(ScalarType.Float32), BoxFormat.Cxcywh, BoxFormat.Xyxy);
        return (corners.unsqueeze(1), target[.., Presence].gt(0.5).unsqueeze(1));
    }

    /// <inheritdoc />
    public Tensor Write(Tensor target, Tensor boxes, Tensor valid)
    {
        RequireLayout(target);
        var removed = valid.view(-1, 1).logical_not();
        var box = Boxes.Convert(boxes.view(-1, 4), BoxFormat.Xyxy, BoxFormat.Cxcywh).to_type(target.dtype).masked_fill(removed, 0);
        var presence = target[.., Presence..Class].masked_fill(removed, 0);
        var label = target[.., Class..FirstBoxValue].masked_fill(removed, -1);
        return cat([presence, label, box], 1);
    }

    private static void RequireLayout(Tensor target)
    {
        if (target.dim() != 2 || target.shape[1] != LocalizationBinding.TargetLength || !target.is_floating_point())
        {
            throw new ArgumentException($"Localisation targets must be floating point [B, {LocalizationBinding.TargetLength}] (presence, class, cx, cy, w, h), not {target.dtype} [{string.Join(", ", target.shape)}].", nameof(target));
        }
    }
}

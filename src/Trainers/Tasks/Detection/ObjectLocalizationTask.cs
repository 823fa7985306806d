using DeepLearning.Trainers.Augmentation;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Object localisation (classification with localisation): at most one object per image; the network
/// learns whether an object is there, its box and its class. Labels: ML.NET's object-detection columns with
/// 0 or 1 object per row (a key vector in the trainer's label column, 4 corner values in input pixels in
/// <see cref="BoxColumnName"/>). Loss, the curriculum's: the presence's binary cross-entropy on every row,
/// plus, on rows holding an object, <see cref="BoxWeight"/> × the squared error of the box (centre and size
/// as fractions of the input) and the class's cross-entropy. Metric: the share of rows handled right (no
/// object: presence below one half; an object: presence above one half, the right class and IoU ≥ 0.5).
/// The trainer's geometric augmentation steps move the box with the pixels.
/// </summary>
public sealed class ObjectLocalizationTask : TrainingTask
{
    internal const string Name = "ObjectLocalization";

    /// <summary>Creates the task.</summary>
    /// <param name="boxColumnName">The box column. Default <c>Boxes</c>; not empty.</param>
    /// <param name="boxWeight">Weight of the box error against the presence and class losses (YOLO's λ_coord). Default 5; greater than 0.</param>
    public ObjectLocalizationTask(string boxColumnName = "Boxes", double boxWeight = 5)
    {
        OptionCheck.RequireName(boxColumnName, nameof(boxColumnName));
        OptionCheck.Require(boxWeight > 0 && double.IsFinite(boxWeight), boxWeight, nameof(boxWeight), "greater than 0 and finite");
        BoxColumnName = boxColumnName;
        BoxWeight = boxWeight;
    }

    /// <summary>The box column.</summary>
    public string BoxColumnName { get; }

    /// <summary>Weight of the box error.</summary>
    public double BoxWeight { get; }

    /// <inheritdoc />
    public override string MetricName => "localization accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target)
    {
        var presence = target[.., 0];
        var loss = nn.functional.binary_cross_entropy_with_logits(output[.., 0], presence);
        var present = presence.gt(0.5).nonzero().squeeze(1);
        if (present.shape[0] == 0)
        {
            return loss;
        }

        var rows = output.index_select(0, present);
        var truth = target.index_select(0, present);
        var box = nn.functional.mse_loss(rows[.., 1..5].sigmoid(), truth[.., 2..6], reduction: nn.Reduction.Sum) / present.shape[0];
        var classes = nn.functional.cross_entropy(rows[.., 5..], truth[.., 1].to_type(ScalarType.Int64));
        return loss + (box * BoxWeight) + classes;
    }

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new AccuracyAccumulator(Correct);

    internal override IReadOnlyList<string> LabelColumns(string labelColumnName) => [labelColumnName, BoxColumnName];

    internal override OutputHead PreviewHead() => new ObjectLocalizationHead { ClassCount = 2, InputWidth = 1, InputHeight = 1 };

    internal override TargetBinding Bind(TargetContext context) => LocalizationBinding.Create(context, BoxColumnName);

    /// <summary>
    /// The target's box, so that flips, crops and affine steps move it with the pixels (an object pushed out
    /// of the image becomes "no object"); it also makes the task refuse mixup and CutMix.
    /// </summary>
    internal override IBoxTargets BoxTargets { get; } = new LocalizationBoxTargets();

    /// <summary>Rows handled right, as the class summary says.</summary>
    private static Tensor Correct(Tensor output, Tensor target)
    {
        var present = target[.., 0].gt(0.5);
        var saysPresent = output[.., 0].gt(0);
        var rightClass = output[.., 5..].argmax(1).eq(target[.., 1].to_type(ScalarType.Int64));
        var predicted = Corners(output[.., 1..5].sigmoid());
        var truth = Corners(target[.., 2..6]);
        var overlaps = BoxIou.Compute(predicted, truth, IouKind.Iou).nan_to_num(0).ge(0.5);
        var found = present.logical_and(saysPresent).logical_and(rightClass).logical_and(overlaps);
        var empty = present.logical_not().logical_and(saysPresent.logical_not());
        return found.logical_or(empty).sum();
    }

    private static Tensor Corners(Tensor centreSize) => cat([centreSize[.., ..2] - (centreSize[.., 2..] / 2), centreSize[.., ..2] + (centreSize[.., 2..] / 2)], 1);
}

using DeepLearning.Trainers.Augmentation;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Object detection with a YOLO grid (the trainer's architecture must be a
/// <see cref="Transforms.Networks.Architectures.YoloSpec"/>): any number of objects per image. Labels are
/// ML.NET's object-detection columns: a key vector (one class per object) in the trainer's label column and
/// 4 corner values per object in input pixels in <see cref="BoxColumnName"/>. Anchors are
/// <see cref="Anchors"/>, or found by k-means with IoU distance on the training boxes (<see cref="AnchorClustering"/>).
/// </summary>
/// <remarks>
/// <para>Each object is assigned to the grid cell holding its centre and to the anchor whose shape overlaps it
/// most (IoU as if centred together). The loss per image, summed over the batch and divided by its size:
/// <see cref="BoxWeight"/> × Σ over objects of (1 − <see cref="BoxLoss"/> of the predicted and true box) +
/// <see cref="ObjectWeight"/> × Σ over assigned anchors of BCE(objectness, 1) + <see cref="NoObjectWeight"/> ×
/// Σ over the other anchors of BCE(objectness, 0), leaving out those whose predicted box already overlaps an
/// object with IoU above <see cref="IgnoreThreshold"/> (YOLOv3's rule) + <see cref="ClassWeight"/> × Σ over
/// objects of the cross-entropy of the class scores. Predicted boxes: centre (cell + σ(t)) / grid, size
/// anchor × exp(t).</para>
/// <para>The metric is mAP@0.5 of the detections (scores down to 0.01, NMS at <see cref="IouThreshold"/>, <see cref="MultiLabel"/> as set) over the
/// epoch's images, as <see cref="Analysis.DetectionMetrics"/> computes it.</para>
/// </remarks>
public sealed class ObjectDetectionTask : TrainingTask
{
    internal const string Name = "ObjectDetection";

    /// <summary>The box column: 4 corner values (x1, y1, x2, y2) per object in input pixels. Default <c>Boxes</c>; not empty.</summary>
    public string BoxColumnName { get; init; } = "Boxes";

    /// <summary>
    /// Anchor sizes (width, height) in input pixels, as many as the architecture's <c>AnchorCount</c>. Default
    /// <see langword="null"/>: k-means with IoU distance on the training boxes.
    /// </summary>
    public IReadOnlyList<(double Width, double Height)>? Anchors { get; init; }

    /// <summary>Weight of the box loss (λ_coord). Default 5; greater than 0.</summary>
    public double BoxWeight { get; init; } = 5;

    /// <summary>Weight of the objectness loss of the anchors that hold an object. Default 1; greater than 0.</summary>
    public double ObjectWeight { get; init; } = 1;

    /// <summary>Weight of the objectness loss of the anchors that hold none (λ_noobj). Default 1; greater than 0.</summary>
    public double NoObjectWeight { get; init; } = 1;

    /// <summary>Weight of the class loss. Default 1; greater than 0.</summary>
    public double ClassWeight { get; init; } = 1;

    /// <summary>An anchor without an object whose predicted box overlaps an object with IoU above this has no objectness loss. Default 0.5; in (0, 1].</summary>
    public double IgnoreThreshold { get; init; } = 0.5;

    /// <summary>The overlap whose complement is the box loss. Default <see cref="IouKind.Complete"/>.</summary>
    public IouKind BoxLoss { get; init; } = IouKind.Complete;

    /// <summary>Scoring: detections below this score (objectness × class probability) are dropped. Default 0.25; in [0, 1].</summary>
    public double ScoreThreshold { get; init; } = 0.25;

    /// <summary>Scoring: NMS per class drops a detection overlapping a better one with IoU above this. Default 0.45; in [0, 1].</summary>
    public double IouThreshold { get; init; } = 0.45;

    /// <summary>Scoring: most detections per image. Default 100; in [1, 10000].</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>
    /// Scoring: a box is a detection under every class whose score passes <see cref="ScoreThreshold"/> rather than
    /// under its most likely class only (<see cref="ObjectDetectionHead.MultiLabel"/>). Default <see langword="false"/>.
    /// </summary>
    public bool MultiLabel { get; init; }

    /// <inheritdoc />
    public override string MetricName => "mAP@0.5";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <summary>Throws naming the first invalid option and its value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        OptionCheck.RequireName(BoxColumnName, nameof(BoxColumnName));
        Positive(BoxWeight, nameof(BoxWeight));
        Positive(ObjectWeight, nameof(ObjectWeight));
        Positive(NoObjectWeight, nameof(NoObjectWeight));
        Positive(ClassWeight, nameof(ClassWeight));
        OptionCheck.Require(IgnoreThreshold > 0 && IgnoreThreshold <= 1, IgnoreThreshold, nameof(IgnoreThreshold), "in (0, 1]");
        OptionCheck.RequireDefined(BoxLoss, nameof(BoxLoss));
        if (Anchors is { } anchors)
        {
            OptionCheck.Require(anchors.Count is >= 1 and <= 32, anchors.Count, $"{nameof(Anchors)}.Count", "in [1, 32]");
            OptionCheck.Require(anchors.All(a => a.Width > 0 && a.Height > 0 && double.IsFinite(a.Width) && double.IsFinite(a.Height)), string.Join(", ", anchors), nameof(Anchors), "positive, finite sizes");
        }

        new ObjectDetectionHead { ClassCount = 1, InputWidth = 1, InputHeight = 1, GridWidth = 1, GridHeight = 1, Anchors = [1, 1], ScoreThreshold = ScoreThreshold, IouThreshold = IouThreshold, MaxDetections = MaxDetections }.Validate();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Always: the loss needs the anchors and grid the task binds to the data; the trainer uses the bound loss.</exception>
    public override Tensor Loss(Tensor output, Tensor target)
        => throw new InvalidOperationException($"{Name}'s loss depends on the anchors and grid found when the task is bound to the data; train it through a trainer.");

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric()
        => throw new InvalidOperationException($"{Name}'s metric depends on the anchors and grid found when the task is bound to the data; train it through a trainer.");

    internal override IReadOnlyList<string> LabelColumns(string labelColumnName) => [labelColumnName, BoxColumnName];

    internal override OutputHead PreviewHead() => new ObjectDetectionHead { ClassCount = 1, InputWidth = 1, InputHeight = 1, GridWidth = 1, GridHeight = 1, Anchors = [1, 1] };

    internal override TargetBinding Bind(TargetContext context)
    {
        Validate();
        return DetectionBinding.Create(this, context);
    }

    /// <summary>Targets <c>[M, 5]</c> (class, corners as fractions of the input; class −1 pads): geometric augmentation moves and removes them with the pixels.</summary>
    internal override IBoxTargets BoxTargets { get; } = new PaddedBoxTargets();

    private static void Positive(double value, string name) => OptionCheck.Require(value > 0 && double.IsFinite(value), value, name, "greater than 0 and finite");
}

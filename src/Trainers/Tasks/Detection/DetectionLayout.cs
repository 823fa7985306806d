using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>What a detector's targets, loss and head share once bound to the training data: classes, input size, grid and anchors (input pixels).</summary>
internal sealed record DetectionLayout(int ClassCount, KeyValuesAnnotation? Labels, int InputWidth, int InputHeight, int GridHeight, int GridWidth, float[] Anchors)
{
    /// <summary>Values per target slot: class, x1, y1, x2, y2.</summary>
    public const int TargetValues = 5;

    /// <summary>Number of anchors.</summary>
    public int AnchorCount => Anchors.Length / 2;

    /// <summary>Values per image the network outputs.</summary>
    public int NetworkOutputs => GridHeight * GridWidth * AnchorCount * (YoloGridDecoder.BoxValues + ClassCount);

    /// <summary>The head of the trained network, with the task's scoring options.</summary>
    public ObjectDetectionHead CreateHead(ObjectDetectionTask task) => new()
    {
        ClassCount = ClassCount,
        Labels = Labels,
        InputWidth = InputWidth,
        InputHeight = InputHeight,
        GridWidth = GridWidth,
        GridHeight = GridHeight,
        Anchors = Anchors,
        ScoreThreshold = task.ScoreThreshold,
        IouThreshold = task.IouThreshold,
        MaxDetections = task.MaxDetections,
        MultiLabel = task.MultiLabel,
    };

    /// <summary>
    /// The layout for the training data: the grid of the trainer's YOLO architecture at the input size, and the
    /// task's anchors or k-means anchors of <paramref name="sizes"/> (normalised width, height pairs of every box).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The architecture is not a YOLO detector, or the anchors given do not match its anchor count.</exception>
    /// <exception cref="InvalidOperationException">There are fewer boxes than anchors to cluster.</exception>
    public static DetectionLayout Create(ObjectDetectionTask task, TargetContext context, int classes, KeyValuesAnnotation? labels, float[] sizes)
    {
        if (context.Architecture is not YoloSpec yolo)
        {
            throw new ArgumentOutOfRangeException("Architecture", context.Architecture?.GetType().Name, $"{ObjectDetectionTask.Name} needs a YOLO detector as the architecture (e.g. new YoloSpec {{ Backbone = new TinyDarknetSpec() }}), not {context.Architecture?.GetType().Name ?? "none"}.");
        }

        int height = (int)context.InputShape[1], width = (int)context.InputShape[2];
        var (gridHeight, gridWidth) = (yolo with { InputChannels = (int)context.InputShape[0], InputHeight = height, InputWidth = width }).Grid();
        float[] anchors;
        if (task.Anchors is { } given)
        {
            Transforms.Validation.OptionCheck.Require(given.Count == yolo.AnchorCount, given.Count, $"{nameof(ObjectDetectionTask.Anchors)}.Count", $"the architecture's AnchorCount ({yolo.AnchorCount})");
            anchors = [.. given.SelectMany(a => new[] { (float)a.Width, (float)a.Height })];
        }
        else
        {
            var boxes = sizes.Length / 2;
            if (boxes < yolo.AnchorCount)
            {
                throw new InvalidOperationException($"The training data holds {boxes} boxes, fewer than the {yolo.AnchorCount} anchors to cluster: give more data, fewer anchors (YoloSpec.AnchorCount) or the anchors themselves ({nameof(ObjectDetectionTask)}.{nameof(ObjectDetectionTask.Anchors)}).");
            }

            using var data = tensor(sizes, [boxes, 2]);
            var found = AnchorClustering.Fit(data, yolo.AnchorCount);
            anchors = [.. found.Anchors.SelectMany(a => new[] { (float)(a.Width * width), (float)(a.Height * height) })];
        }

        return new DetectionLayout(classes, labels, width, height, gridHeight, gridWidth, anchors);
    }
}

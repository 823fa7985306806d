using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// A YOLO detector's output head: decodes the grid <c>[N, A · (5 + classes), Gh, Gw]</c> with the anchors,
/// scores each box as objectness × class probability (its most likely class, or every class with
/// <see cref="MultiLabel"/>), drops boxes under <see cref="ScoreThreshold"/>, runs
/// greedy NMS per class at <see cref="IouThreshold"/> and keeps the best <see cref="MaxDetections"/>
/// (<see cref="YoloDetections"/>), all batched. Columns, in ML.NET's object-detection layout with one entry
/// per detection, best first (variable length per row): <c>PredictedLabel</c> (vector of keys),
/// <c>Score</c> (vector of Single) and <c>PredictedBoundingBoxes</c> (vector of Single, corners x1, y1, x2, y2
/// in input pixels, 4 per detection).
/// </summary>
[RegisteredName("object-detection")]
public sealed class ObjectDetectionHead : OutputHead
{
    private bool _multiLabel;
    private double _scoreThreshold = 0.25;
    private double _iouThreshold = 0.45;

    /// <summary>Number of object classes; at least 1.</summary>
    public int ClassCount { get; init; }

    /// <summary>Class names (the label key's values), or <see langword="null"/>.</summary>
    public KeyValuesAnnotation? Labels { get; init; }

    /// <summary>Width of the network's input in pixels (boxes are relative to it); at least 1.</summary>
    public int InputWidth { get; init; }

    /// <summary>Height of the network's input in pixels; at least 1.</summary>
    public int InputHeight { get; init; }

    /// <summary>Columns of the output grid; at least 1.</summary>
    public int GridWidth { get; init; }

    /// <summary>Rows of the output grid; at least 1.</summary>
    public int GridHeight { get; init; }

    /// <summary>The anchors' widths and heights in input pixels, interleaved (w0, h0, w1, h1, …); 1 to 32 positive pairs.</summary>
    public float[] Anchors { get; init; } = [];

    /// <summary>Detections scoring below this are dropped. Default 0.25; in [0, 1].</summary>
    public double ScoreThreshold { get => _scoreThreshold; init => _scoreThreshold = value; }

    /// <summary>NMS drops a detection overlapping a better one of its class with IoU above this. Default 0.45; in [0, 1].</summary>
    public double IouThreshold { get => _iouThreshold; init => _iouThreshold = value; }

    /// <summary>Most detections per image. Default 100; in [1, 10000].</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>
    /// Whether a box is a detection under every class whose score (objectness × that class's probability) passes
    /// <see cref="ScoreThreshold"/>, as YOLOv5's evaluation and torchvision's RetinaNet score, rather than under its
    /// most likely class only. Default <see langword="false"/>. At low thresholds it raises recall, so mAP.
    /// </summary>
    public bool MultiLabel { get => _multiLabel; init => _multiLabel = value; }

    /// <summary>This head selecting detections another way: the same network scored with other thresholds or multi-label.</summary>
    internal ObjectDetectionHead WithSelection(bool multiLabel, double scoreThreshold, double iouThreshold)
    {
        var copy = (ObjectDetectionHead)MemberwiseClone();
        copy._multiLabel = multiLabel;
        copy._scoreThreshold = scoreThreshold;
        copy._iouThreshold = iouThreshold;
        copy.Validate();
        return copy;
    }

    /// <summary>Number of anchors.</summary>
    internal int AnchorCount => Anchors.Length / 2;

    /// <summary>Detections per row after post-processing: <see cref="MaxDetections"/> capped by the grid's boxes.</summary>
    internal int Slots => Math.Min(MaxDetections, GridWidth * GridHeight * AnchorCount * (MultiLabel ? ClassCount : 1));

    /// <inheritdoc />
    public override int NetworkOutputs => GridWidth * GridHeight * AnchorCount * (YoloGridDecoder.BoxValues + ClassCount);

    /// <summary>Per row: the count, then the slots' boxes (4 each), scores and class indices.</summary>
    public override int OutputSize => 1 + (6 * Slots);

    /// <summary>The anchors in grid cells, <c>[A, 2]</c>, on <paramref name="device"/>.</summary>
    internal Tensor GridAnchors(Device device)
    {
        var cellWidth = (float)InputWidth / GridWidth;
        var cellHeight = (float)InputHeight / GridHeight;
        var cells = Anchors.Select((v, i) => i % 2 == 0 ? v / cellWidth : v / cellHeight).ToArray();
        return tensor(cells, [AnchorCount, 2], device: device);
    }

    /// <inheritdoc />
    public override Tensor PostProcess(Tensor output)
    {
        using var scope = NewDisposeScope();
        var grid = output.view(output.shape[0], -1, GridHeight, GridWidth);
        var (boxes, scores, labels, count) = YoloDetections.Select(grid, GridAnchors(output.device), ScoreThreshold, IouThreshold, MaxDetections, MultiLabel);
        var scale = tensor(new float[] { InputWidth, InputHeight, InputWidth, InputHeight }, output.dtype, output.device);
        var pixels = (boxes * scale).flatten(1);
        var packed = cat([count.unsqueeze(1).to_type(output.dtype), pixels, scores, labels.to_type(output.dtype)], 1);
        return packed.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns()
    {
        int slots = Slots;
        var keyAnnotations = new DataViewSchema.Annotations.Builder();
        if (Labels?.Values.Count == ClassCount)
        {
            Labels.AddTo(keyAnnotations);
        }

        return
        [
            OutputColumn.Create<VBuffer<uint>>(
                HeadColumnNames.PredictedLabel,
                new VectorDataViewType(new KeyDataViewType(typeof(uint), ClassCount)),
                keyAnnotations.ToAnnotations(),
                (ReadOnlySpan<float> outputs, ref VBuffer<uint> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, Count(outputs));
                    var labels = outputs.Slice(1 + (5 * slots), editor.Values.Length);
                    for (var i = 0; i < labels.Length; i++)
                    {
                        editor.Values[i] = (uint)labels[i] + 1;
                    }

                    value = editor.Commit();
                }),
            OutputColumn.Create<VBuffer<float>>(HeadColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single), null, (ReadOnlySpan<float> outputs, ref VBuffer<float> value) => Copy(outputs, 1 + (4 * slots), Count(outputs), ref value)),
            OutputColumn.Create<VBuffer<float>>(HeadColumnNames.PredictedBoundingBoxes, new VectorDataViewType(NumberDataViewType.Single), null, (ReadOnlySpan<float> outputs, ref VBuffer<float> value) => Copy(outputs, 1, 4 * Count(outputs), ref value)),
        ];
    }

    /// <inheritdoc />
    /// <remarks>One image per run, as ML.NET's <c>ApplyOnnxModel</c> feeds rows; see <see cref="ObjectDetectionOnnx"/>.</remarks>
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(columns);
        ObjectDetectionOnnx.Export(this, builder, output, columns);
    }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(ClassCount >= 1, ClassCount, nameof(ClassCount), "at least 1");
        OptionCheck.Require(Labels is null || Labels.Values.Count == ClassCount, Labels?.Values.Count, $"{nameof(Labels)}.Count", $"equal to {nameof(ClassCount)} ({ClassCount})");
        OptionCheck.Require(InputWidth >= 1, InputWidth, nameof(InputWidth), "at least 1");
        OptionCheck.Require(InputHeight >= 1, InputHeight, nameof(InputHeight), "at least 1");
        OptionCheck.Require(GridWidth >= 1, GridWidth, nameof(GridWidth), "at least 1");
        OptionCheck.Require(GridHeight >= 1, GridHeight, nameof(GridHeight), "at least 1");
        OptionCheck.Require(Anchors is { Length: >= 2 and <= 64 } && Anchors.Length % 2 == 0, Anchors?.Length, $"{nameof(Anchors)}.Length", "an even number in [2, 64] (width, height pairs)");
        OptionCheck.Require(Anchors!.All(a => float.IsFinite(a) && a > 0), string.Join(", ", Anchors!), nameof(Anchors), "positive, finite sizes");
        OptionCheck.Require(ScoreThreshold is >= 0 and <= 1, ScoreThreshold, nameof(ScoreThreshold), "in [0, 1]");
        OptionCheck.Require(IouThreshold is >= 0 and <= 1, IouThreshold, nameof(IouThreshold), "in [0, 1]");
        OptionCheck.Require(MaxDetections is >= 1 and <= 10000, MaxDetections, nameof(MaxDetections), "in [1, 10000]");
    }

    private static int Count(ReadOnlySpan<float> outputs) => (int)outputs[0];

    private static void Copy(ReadOnlySpan<float> outputs, int start, int length, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, length);
        outputs.Slice(start, length).CopyTo(editor.Values);
        value = editor.Commit();
    }
}

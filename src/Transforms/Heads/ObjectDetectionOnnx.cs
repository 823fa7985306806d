using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Onnx;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// The ONNX form of <see cref="ObjectDetectionHead"/>'s post-processing, one image per run (as ML.NET's
/// <c>ApplyOnnxModel</c> feeds rows): the same decoding as <see cref="YoloGridDecoder"/>, scores as objectness ×
/// class probability, ONNX's <c>NonMaxSuppression</c> per class (each box entered under its most likely class
/// only, or under every class with <see cref="ObjectDetectionHead.MultiLabel"/>, as the TorchSharp head does), and
/// <c>TopK</c> for the best detections. The outputs
/// are <c>[1, M]</c>, <c>[1, M]</c> and <c>[1, 4·M]</c> with M the number of detections of the image.
/// </summary>
internal static class ObjectDetectionOnnx
{
    /// <summary>Emits the head's columns from the raw grid <paramref name="output"/> <c>[1, A · E, Gh, Gw]</c>.</summary>
    public static void Export(ObjectDetectionHead head, IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        long anchors = head.AnchorCount, gridHeight = head.GridHeight, gridWidth = head.GridWidth, classes = head.ClassCount;
        long encoding = YoloGridDecoder.BoxValues + classes, candidates = gridHeight * gridWidth * anchors;
        string Const(string name, long[] values) => builder.AddInitializer(name, values, [values.Length]);
        string Slice(string input, long start, long end, string name) => builder.AddOp("Slice", [input, Const($"{name}.start", [start]), Const($"{name}.end", [end]), Const($"{name}.axis", [2])], name);

        // [1, A·E, Gh, Gw] → [1, Gh, Gw, A, E] → [1, K, E], cells in the order row, column, anchor.
        var grid = builder.AddOp("Reshape", [output, Const("yolo.grid.shape", [-1, anchors, encoding, gridHeight, gridWidth])], "yolo.grid");
        var moved = builder.AddOp("Transpose", [grid], "yolo.cells.moved", OnnxAttribute.Ints("perm", [0, 3, 4, 1, 2]));
        var cells = builder.AddOp("Reshape", [moved, Const("yolo.cells.shape", [-1, candidates, encoding])], "yolo.cells");

        // Centres ((column, row) + σ(t)) / grid and sizes exp(t) · anchor / input, then corners clipped to [0, 1].
        var offsets = new float[candidates * 2];
        var sizes = new float[candidates * 2];
        for (long c = 0; c < candidates; c++)
        {
            long anchor = c % anchors, cell = c / anchors;
            offsets[2 * c] = (cell % gridWidth) / (float)gridWidth;
            offsets[(2 * c) + 1] = (cell / gridWidth) / (float)gridHeight;
            sizes[2 * c] = head.Anchors[2 * anchor] / head.InputWidth;
            sizes[(2 * c) + 1] = head.Anchors[(2 * anchor) + 1] / head.InputHeight;
        }

        var shift = builder.AddOp("Mul", [builder.AddOp("Sigmoid", [Slice(cells, 0, 2, "yolo.txy")], "yolo.sxy"), builder.AddInitializer("yolo.cell", new float[] { 1f / gridWidth, 1f / gridHeight }, [2])], "yolo.shift");
        var centre = builder.AddOp("Add", [shift, builder.AddInitializer("yolo.offsets", offsets, [candidates, 2])], "yolo.centre");
        var size = builder.AddOp("Mul", [builder.AddOp("Exp", [Slice(cells, 2, 4, "yolo.twh")], "yolo.ewh"), builder.AddInitializer("yolo.anchors", sizes, [candidates, 2])], "yolo.size");
        var half = builder.AddOp("Mul", [size, builder.AddScalar("yolo.half", 0.5f)], "yolo.halfsize");
        var corners = builder.AddOp("Concat", [builder.AddOp("Sub", [centre, half], "yolo.topleft"), builder.AddOp("Add", [centre, half], "yolo.bottomright")], "yolo.corners", OnnxAttribute.Int("axis", 2));
        var boxes = builder.AddOp("Clip", [corners, builder.AddScalar("yolo.zero", 0), builder.AddScalar("yolo.one", 1)], "yolo.boxes");

        // Scores: objectness × class probability [1, K, C], kept only under the most likely class unless multi-label.
        var objectness = builder.AddOp("Sigmoid", [Slice(cells, 4, 5, "yolo.tobj")], "yolo.objectness");
        var probabilities = builder.AddOp("Softmax", [Slice(cells, 5, encoding, "yolo.tclass")], "yolo.probabilities", OnnxAttribute.Int("axis", 2));
        var joint = builder.AddOp("Mul", [objectness, probabilities], "yolo.joint");
        var perClass = joint;
        if (!head.MultiLabel)
        {
            var best = builder.AddOp("ReduceMax", [probabilities], "yolo.best", OnnxAttribute.Ints("axes", [2]), OnnxAttribute.Int("keepdims", 1));
            var isBest = builder.AddOp("Cast", [builder.AddOp("Equal", [probabilities, best], "yolo.isbest")], "yolo.bestmask", OnnxAttribute.Int("to", OnnxDataType.Float));
            perClass = builder.AddOp("Mul", [joint, isBest], "yolo.perclass");
        }

        var nmsScores = builder.AddOp("Transpose", [perClass], "yolo.nmsscores", OnnxAttribute.Ints("perm", [0, 2, 1]));
        var selected = builder.AddOp(
            "NonMaxSuppression",
            [boxes, nmsScores, Const("yolo.maxboxes", [candidates]), builder.AddInitializer("yolo.iou", [(float)head.IouThreshold], [1]), builder.AddInitializer("yolo.minscore", [(float)head.ScoreThreshold], [1])],
            "yolo.selected");

        // The selected boxes' scores, the best MaxDetections of them in decreasing order.
        var classIndex = builder.AddOp("Gather", [selected, Const("yolo.col.class", [1])], "yolo.classindex", OnnxAttribute.Int("axis", 1));
        var boxIndex = builder.AddOp("Gather", [selected, Const("yolo.col.box", [2])], "yolo.boxindex", OnnxAttribute.Int("axis", 1));
        var flatScores = builder.AddOp("Reshape", [joint, Const("yolo.flat", [-1])], "yolo.scores.flat");
        var boxIndexFlat = builder.AddOp("Reshape", [boxIndex, Const("yolo.flat.box", [-1])], "yolo.boxindex.flat");
        var classIndexFlat = builder.AddOp("Reshape", [classIndex, Const("yolo.flat.class", [-1])], "yolo.classindex.flat");
        var pairIndex = builder.AddOp("Add", [builder.AddOp("Mul", [boxIndexFlat, builder.AddInitializer("yolo.classes", [classes], [])], "yolo.pair.row"), classIndexFlat], "yolo.pairindex");
        var selectedScores = builder.AddOp("Gather", [flatScores, pairIndex], "yolo.selectedscores", OnnxAttribute.Int("axis", 0));
        var found = builder.AddOp("Shape", [selectedScores], "yolo.found");
        var k = builder.AddOp("Min", [found, Const("yolo.maxdetections", [head.MaxDetections])], "yolo.k");
        var (top, order) = (builder.NewName("yolo.top.values"), builder.NewName("yolo.top.indices"));
        builder.AddNode("TopK", [selectedScores, k], [top, order], [OnnxAttribute.Int("axis", 0), OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1)]);

        var row = Const("yolo.row", [1, -1]);
        builder.AddNode("Reshape", [top, row], [columns[HeadColumnNames.Score]]);
        var chosenBoxes = builder.AddOp("Gather", [boxIndexFlat, order], "yolo.chosen.box", OnnxAttribute.Int("axis", 0));
        var pixels = builder.AddOp("Mul", [boxes, builder.AddInitializer("yolo.input.size", new float[] { head.InputWidth, head.InputHeight, head.InputWidth, head.InputHeight }, [4])], "yolo.pixels");
        var pixelRows = builder.AddOp("Reshape", [pixels, Const("yolo.pixels.shape", [-1, 4])], "yolo.pixels.rows");
        builder.AddNode("Reshape", [builder.AddOp("Gather", [pixelRows, chosenBoxes], "yolo.chosen.corners", OnnxAttribute.Int("axis", 0)), row], [columns[HeadColumnNames.PredictedBoundingBoxes]]);
        var chosenClasses = builder.AddOp("Gather", [classIndexFlat, order], "yolo.chosen.class", OnnxAttribute.Int("axis", 0));
        var keys = builder.AddOp("Cast", [builder.AddOp("Add", [chosenClasses, builder.AddInitializer("yolo.key.one", [1L], [])], "yolo.key")], "yolo.key.u32", OnnxAttribute.Int("to", OnnxDataType.UInt32));
        builder.AddNode("Reshape", [keys, row], [columns[HeadColumnNames.PredictedLabel]]);
    }
}

using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// Object localisation, the curriculum's classification with localisation: at most one object per image,
/// and the network says whether there is one, where it is and what it is. Network outputs per row:
/// a presence logit, four box logits (sigmoid gives the centre x, y, the width and height as fractions of
/// the input) and one logit per class. Columns: <c>Presence</c> (probability that an object is there),
/// <c>PredictedBoundingBox</c> (corners x1, y1, x2, y2 in input pixels), <c>Score</c> (class probabilities,
/// as the multiclass head's, so <c>ml.MulticlassClassification.Evaluate</c> works on the rows holding an
/// object) and <c>PredictedLabel</c> (key).
/// </summary>
[RegisteredName("object-localization")]
public sealed class ObjectLocalizationHead : OutputHead
{
    /// <summary>Column of the presence probability.</summary>
    public const string PresenceColumn = "Presence";

    /// <summary>Column of the predicted box.</summary>
    public const string BoundingBoxColumn = "PredictedBoundingBox";

    /// <summary>Number of object classes; at least 2.</summary>
    public int ClassCount { get; init; }

    /// <summary>Class names (the label key's values), or <see langword="null"/>.</summary>
    public KeyValuesAnnotation? Labels { get; init; }

    /// <summary>Width of the network's input in pixels (boxes are relative to it); at least 1.</summary>
    public int InputWidth { get; init; }

    /// <summary>Height of the network's input in pixels; at least 1.</summary>
    public int InputHeight { get; init; }

    /// <inheritdoc />
    public override int NetworkOutputs => 5 + ClassCount;

    /// <inheritdoc />
    public override Tensor PostProcess(Tensor output)
    {
        var presence = output[.., ..1].sigmoid();
        var box = output[.., 1..5].sigmoid();
        var centre = box[.., ..2];
        var half = box[.., 2..4] / 2;
        var scale = tensor(new float[] { InputWidth, InputHeight, InputWidth, InputHeight }, output.dtype, output.device);
        var corners = cat([centre - half, centre + half], 1) * scale;
        return cat([presence, corners, output[.., 5..].softmax(1)], 1);
    }

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns()
    {
        return
        [
            OutputColumn.Create(PresenceColumn, NumberDataViewType.Single, null, OutputValues.At(0)),
            OutputColumn.Create(BoundingBoxColumn, new VectorDataViewType(NumberDataViewType.Single, 4), null, OutputValues.Slice(1, 4)),
            .. ClassOutputs.Columns(5, ClassCount, Labels),
        ];
    }

    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(columns);
        builder.AddNode("Sigmoid", [Slice(builder, output, 0, 1, "presence")], [columns[PresenceColumn]]);
        var box = builder.AddOp("Sigmoid", [Slice(builder, output, 1, 5, "box")], "box.sigmoid");
        var centre = Slice(builder, box, 0, 2, "centre");
        var half = builder.AddOp("Mul", [Slice(builder, box, 2, 4, "size"), builder.AddScalar("half", 0.5f)], "half");
        var corners = builder.AddOp("Concat", [builder.AddOp("Sub", [centre, half], "topleft"), builder.AddOp("Add", [centre, half], "bottomright")], "corners", OnnxAttribute.Int("axis", 1));
        var scale = builder.AddInitializer("input.size", new float[] { InputWidth, InputHeight, InputWidth, InputHeight }, [4]);
        builder.AddNode("Mul", [corners, scale], [columns[BoundingBoxColumn]]);
        ClassOutputs.ExportOnnx(builder, Slice(builder, output, 5, NetworkOutputs, "classes"), columns);
    }

    /// <inheritdoc />
    public override void Validate()
    {
        ClassOutputs.Validate(ClassCount, Labels, nameof(ClassCount), nameof(Labels));
        OptionCheck.Require(InputWidth >= 1, InputWidth, nameof(InputWidth), "at least 1");
        OptionCheck.Require(InputHeight >= 1, InputHeight, nameof(InputHeight), "at least 1");
    }

    /// <summary>Columns [start, end) of a [N, K] tensor (ONNX Slice on axis 1).</summary>
    private static string Slice(IOnnxGraphBuilder builder, string input, long start, long end, string name)
        => builder.AddOp(
            "Slice",
            [input, builder.AddInitializer($"{name}.start", [start], [1]), builder.AddInitializer($"{name}.end", [end], [1]), builder.AddInitializer($"{name}.axis", [1L], [1])],
            name);
}

using DeepLearning.Transforms.Scoring;

namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// The post-processing of each <see cref="PredictionKind"/> as ONNX nodes: from the network's raw
/// outputs (logits, [N, K]) to the prediction columns, computed exactly as the scoring getters do.
/// One method per kind, so each can move into its task's output head.
/// </summary>
internal static class PredictionOnnx
{
    /// <summary>Emits the columns of <paramref name="kind"/>.</summary>
    /// <param name="kind">The task.</param>
    /// <param name="builder">The graph.</param>
    /// <param name="logits">The network's outputs.</param>
    /// <param name="outputs">ONNX variable to write for each prediction column name.</param>
    public static void Emit(PredictionKind kind, IOnnxGraphBuilder builder, string logits, IReadOnlyDictionary<string, string> outputs)
    {
        switch (kind)
        {
            case PredictionKind.MulticlassClassification:
                EmitMulticlass(builder, logits, outputs[PredictionColumns.Score], outputs[PredictionColumns.PredictedLabel]);
                break;
            case PredictionKind.BinaryClassification:
                EmitBinary(builder, logits, outputs[PredictionColumns.Score], outputs[PredictionColumns.Probability], outputs[PredictionColumns.PredictedLabel]);
                break;
            case PredictionKind.Regression:
                EmitRegression(builder, logits, outputs[PredictionColumns.Score]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        }
    }

    /// <summary>
    /// <c>Score</c> = softmax(logits) [N, K]; <c>PredictedLabel</c> = argmax(Score) + 1 as a uint32
    /// key [N, 1], as ML.NET's multiclass trainers export it (so <c>MapKeyToValue</c> exports too).
    /// </summary>
    public static void EmitMulticlass(IOnnxGraphBuilder builder, string logits, string score, string predictedLabel)
    {
        builder.AddNode("Softmax", [logits], [score], [OnnxAttribute.Int("axis", 1)]);
        var index = builder.AddOp("ArgMax", [score], "argmax", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        var key = builder.AddOp("Add", [index, builder.AddInitializer("one", [1L], [])], "key");
        builder.AddNode("Cast", [key], [predictedLabel], [OnnxAttribute.Int("to", OnnxDataType.UInt32)]);
    }

    /// <summary><c>Score</c> = logit; <c>Probability</c> = sigmoid(logit); <c>PredictedLabel</c> = logit &gt; 0 (bool). All [N, 1].</summary>
    public static void EmitBinary(IOnnxGraphBuilder builder, string logits, string score, string probability, string predictedLabel)
    {
        builder.AddNode("Identity", [logits], [score]);
        builder.AddNode("Sigmoid", [logits], [probability]);
        builder.AddNode("Greater", [logits, builder.AddScalar("zero", 0f)], [predictedLabel]);
    }

    /// <summary><c>Score</c> = the network's single output [N, 1].</summary>
    public static void EmitRegression(IOnnxGraphBuilder builder, string logits, string score)
        => builder.AddNode("Identity", [logits], [score]);
}

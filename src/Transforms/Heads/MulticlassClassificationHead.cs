using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// Multiclass classification: one logit per class. Appends <c>Score</c> (softmax probabilities,
/// with the class names as slot names) and <c>PredictedLabel</c> (a key carrying the label's key
/// values, 0 for a row whose features were NaN), as ML.NET's multiclass evaluator expects.
/// </summary>
[RegisteredName("multiclass-classification")]
public sealed class MulticlassClassificationHead : OutputHead
{
    /// <summary>Number of classes; at least 2.</summary>
    public int ClassCount { get; init; }

    /// <summary>The label's key values (class names) in key order, or <see langword="null"/> when the label was not a key with values.</summary>
    public KeyValuesAnnotation? Labels { get; init; }

    /// <inheritdoc />
    public override int NetworkOutputs => ClassCount;

    /// <inheritdoc />
    public override Tensor PostProcess(Tensor output) => output.softmax(1);

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns()
    {
        const string task = "MulticlassClassification";
        var names = Labels?.Values.Count == ClassCount ? Labels : null;
        return
        [
            OutputColumn.Create(HeadColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, ClassCount), ScoreAnnotations.Create(task, MlNetEnvironment.ScoreKinds.Score, names), OutputValues.Slice(0, ClassCount)),
            OutputColumn.Create<uint>(HeadColumnNames.PredictedLabel, new KeyDataViewType(typeof(uint), ClassCount), ScoreAnnotations.PredictedKey(task, Labels), OutputValues.ArgMaxKey),
        ];
    }

    /// <summary>
    /// <c>Score</c> = softmax(logits) [N, K]; <c>PredictedLabel</c> = argmax(Score) + 1 as a uint32 key [N, 1],
    /// as ML.NET's multiclass trainers export it (so <c>MapKeyToValue</c> exports too).
    /// </summary>
    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var score = columns[HeadColumnNames.Score];
        builder.AddNode("Softmax", [output], [score], [OnnxAttribute.Int("axis", 1)]);
        var index = builder.AddOp("ArgMax", [score], "argmax", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        var key = builder.AddOp("Add", [index, builder.AddInitializer("one", [1L], [])], "key");
        builder.AddNode("Cast", [key], [columns[HeadColumnNames.PredictedLabel]], [OnnxAttribute.Int("to", OnnxDataType.UInt32)]);
    }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(ClassCount >= 2, ClassCount, nameof(ClassCount), "at least 2");
        OptionCheck.Require(Labels is null || Labels.Values.Count == ClassCount, Labels?.Values.Count, $"{nameof(Labels)}.Count", $"equal to {nameof(ClassCount)} ({ClassCount})");
    }
}

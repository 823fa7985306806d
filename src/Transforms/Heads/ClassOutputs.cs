using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// The class part of a head's outputs, shared by the heads that classify: the <c>Score</c> column of
/// class probabilities (multiclass score annotations, slot names from the class names) and the key
/// <c>PredictedLabel</c>, their ONNX nodes, and the checks of the class options.
/// </summary>
internal static class ClassOutputs
{
    private const string Task = "MulticlassClassification";

    /// <summary>The <c>Score</c> and <c>PredictedLabel</c> columns over the class probabilities at <paramref name="start"/> of the post-processed outputs.</summary>
    public static OutputColumn[] Columns(int start, int classCount, KeyValuesAnnotation? labels)
    {
        var names = labels?.Values.Count == classCount ? labels : null;
        return
        [
            OutputColumn.Create(HeadColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, classCount), ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.Score, names), OutputValues.Slice(start, classCount)),
            OutputColumn.Create<uint>(HeadColumnNames.PredictedLabel, new KeyDataViewType(typeof(uint), classCount), ScoreAnnotations.PredictedKey(Task, labels), (ReadOnlySpan<float> outputs, ref uint value) => OutputValues.ArgMaxKey(outputs.Slice(start, classCount), ref value)),
        ];
    }

    /// <summary>Emits softmax of <paramref name="logits"/> into the <c>Score</c> column and its arg-max key (1-based, uint32) into <c>PredictedLabel</c>.</summary>
    public static void ExportOnnx(IOnnxGraphBuilder builder, string logits, IReadOnlyDictionary<string, string> columns)
    {
        var score = columns[HeadColumnNames.Score];
        builder.AddNode("Softmax", [logits], [score], [OnnxAttribute.Int("axis", 1)]);
        var index = builder.AddOp("ArgMax", [score], "argmax", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        var key = builder.AddOp("Add", [index, builder.AddInitializer("one", [1L], [])], "key");
        builder.AddNode("Cast", [key], [columns[HeadColumnNames.PredictedLabel]], [OnnxAttribute.Int("to", OnnxDataType.UInt32)]);
    }

    /// <summary>Requires at least 2 classes and, when class names are given, one per class.</summary>
    public static void Validate(int classCount, KeyValuesAnnotation? labels, string classCountName, string labelsName)
    {
        OptionCheck.Require(classCount >= 2, classCount, classCountName, "at least 2");
        OptionCheck.Require(labels is null || labels.Values.Count == classCount, labels?.Values.Count, $"{labelsName}.Count", $"equal to {classCountName} ({classCount})");
    }
}

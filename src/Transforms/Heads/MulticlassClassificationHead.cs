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
    public override IReadOnlyList<OutputColumn> CreateColumns() => ClassOutputs.Columns(0, ClassCount, Labels);

    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(columns);
        ClassOutputs.ExportOnnx(builder, output, columns);
    }

    /// <inheritdoc />
    public override void Validate() => ClassOutputs.Validate(ClassCount, Labels, nameof(ClassCount), nameof(Labels));
}

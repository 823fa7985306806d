using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// Binary classification: one logit. Appends <c>Score</c> (the logit), <c>Probability</c>
/// (its sigmoid) and <c>PredictedLabel</c> (logit &gt; 0), as ML.NET's binary evaluator expects.
/// </summary>
[RegisteredName("binary-classification")]
public sealed class BinaryClassificationHead : OutputHead
{
    private const string Task = "BinaryClassification";

    /// <inheritdoc />
    public override int NetworkOutputs => 1;

    /// <inheritdoc />
    public override int OutputSize => 2;

    /// <summary>Returns <c>[logit, sigmoid(logit)]</c> per row.</summary>
    /// <param name="output">Logits <c>[B, 1]</c>.</param>
    public override Tensor PostProcess(Tensor output) => cat([output, output.sigmoid()], 1);

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns() =>
    [
        OutputColumn.Create(HeadColumnNames.Score, NumberDataViewType.Single, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.Score), OutputValues.At(0)),
        OutputColumn.Create(HeadColumnNames.Probability, NumberDataViewType.Single, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.Probability), OutputValues.At(1)),
        OutputColumn.Create(HeadColumnNames.PredictedLabel, BooleanDataViewType.Instance, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.PredictedLabel), (ReadOnlySpan<float> outputs, ref bool value) => value = outputs[0] > 0),
    ];

    /// <summary><c>Score</c> = logit; <c>Probability</c> = sigmoid(logit); <c>PredictedLabel</c> = logit &gt; 0 (bool). All [N, 1].</summary>
    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNode("Identity", [output], [columns[HeadColumnNames.Score]]);
        builder.AddNode("Sigmoid", [output], [columns[HeadColumnNames.Probability]]);
        builder.AddNode("Greater", [output, builder.AddScalar("zero", 0f)], [columns[HeadColumnNames.PredictedLabel]]);
    }

    /// <inheritdoc />
    public override void Validate()
    {
    }
}

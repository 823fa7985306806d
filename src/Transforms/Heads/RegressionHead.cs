using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Heads;

/// <summary>Regression: one value, appended as <c>Score</c>, as ML.NET's regression evaluator expects.</summary>
[RegisteredName("regression")]
public sealed class RegressionHead : OutputHead
{
    /// <inheritdoc />
    public override int NetworkOutputs => 1;

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns() =>
    [
        OutputColumn.Create(HeadColumnNames.Score, NumberDataViewType.Single, ScoreAnnotations.Create("Regression", MlNetEnvironment.ScoreKinds.Score), OutputValues.At(0)),
    ];

    /// <summary><c>Score</c> = the network's single output [N, 1].</summary>
    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNode("Identity", [output], [columns[HeadColumnNames.Score]]);
    }

    /// <inheritdoc />
    public override void Validate()
    {
    }
}

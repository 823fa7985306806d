using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// Multi-task binary classification: one logit per task (label column) from one shared network. For
/// each label column <c>L</c> it appends <c>L.Score</c> (the logit), <c>L.Probability</c> (its sigmoid)
/// and <c>L.PredictedLabel</c> (logit &gt; 0), the three columns ML.NET's binary evaluator reads:
/// <c>ml.BinaryClassification.Evaluate(scored, L, ScoreColumn(L), ProbabilityColumn(L), PredictedLabelColumn(L))</c>.
/// </summary>
[RegisteredName("multi-task-binary-classification")]
public sealed class MultiTaskBinaryClassificationHead : OutputHead
{
    private const string Task = "BinaryClassification";

    /// <summary>The label column of each task, in the order of the network's outputs; at least one, distinct, not empty.</summary>
    public IReadOnlyList<string> LabelColumnNames { get; init; } = [];

    /// <inheritdoc />
    public override int NetworkOutputs => LabelColumnNames.Count;

    /// <inheritdoc />
    public override int OutputSize => 2 * LabelColumnNames.Count;

    /// <summary>The name of the score (logit) column of task <paramref name="labelColumnName"/>: <c>{label}.Score</c>.</summary>
    /// <param name="labelColumnName">The task's label column.</param>
    public static string ScoreColumn(string labelColumnName) => $"{labelColumnName}.{HeadColumnNames.Score}";

    /// <summary>The name of the probability column of task <paramref name="labelColumnName"/>: <c>{label}.Probability</c>.</summary>
    /// <param name="labelColumnName">The task's label column.</param>
    public static string ProbabilityColumn(string labelColumnName) => $"{labelColumnName}.{HeadColumnNames.Probability}";

    /// <summary>The name of the predicted-label (Boolean) column of task <paramref name="labelColumnName"/>: <c>{label}.PredictedLabel</c>.</summary>
    /// <param name="labelColumnName">The task's label column.</param>
    public static string PredictedLabelColumn(string labelColumnName) => $"{labelColumnName}.{HeadColumnNames.PredictedLabel}";

    /// <summary>Returns <c>[logits, sigmoid(logits)]</c> per row: the tasks' logits, then their probabilities.</summary>
    /// <param name="output">Logits <c>[B, tasks]</c>.</param>
    public override Tensor PostProcess(Tensor output) => cat([output, output.sigmoid()], 1);

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns()
    {
        var tasks = LabelColumnNames.Count;
        var columns = new List<OutputColumn>(3 * tasks);
        for (var t = 0; t < tasks; t++)
        {
            var logit = t;
            var label = LabelColumnNames[t];
            columns.Add(OutputColumn.Create(ScoreColumn(label), NumberDataViewType.Single, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.Score), OutputValues.At(logit)));
            columns.Add(OutputColumn.Create(ProbabilityColumn(label), NumberDataViewType.Single, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.Probability), OutputValues.At(tasks + logit)));
            columns.Add(OutputColumn.Create(PredictedLabelColumn(label), BooleanDataViewType.Instance, ScoreAnnotations.Create(Task, MlNetEnvironment.ScoreKinds.PredictedLabel), (ReadOnlySpan<float> outputs, ref bool value) => value = outputs[logit] > 0));
        }

        return columns;
    }

    /// <summary>Per task <c>t</c>: <c>Score</c> = logit t (Gather on axis 1); <c>Probability</c> = its sigmoid; <c>PredictedLabel</c> = logit &gt; 0 (bool). All [N, 1].</summary>
    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(columns);
        var zero = builder.AddScalar("zero", 0f);
        for (var t = 0; t < LabelColumnNames.Count; t++)
        {
            var label = LabelColumnNames[t];
            var score = columns[ScoreColumn(label)];
            builder.AddNode("Gather", [output, builder.AddInitializer("task", [(long)t], [1])], [score], [OnnxAttribute.Int("axis", 1)]);
            builder.AddNode("Sigmoid", [score], [columns[ProbabilityColumn(label)]]);
            builder.AddNode("Greater", [score, zero], [columns[PredictedLabelColumn(label)]]);
        }
    }

    /// <inheritdoc />
    public override void Validate() => OptionCheck.RequireNames(LabelColumnNames, nameof(LabelColumnNames));
}

using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// An embedding: the network's outputs, scaled to unit L2 norm unless <see cref="Normalize"/> is
/// off, appended as one vector column (<see cref="ColumnName"/>). Distances between embeddings
/// compare inputs (verification, nearest-neighbour identification, clustering); raw features feed
/// other trainers.
/// </summary>
[RegisteredName("embedding")]
public sealed class EmbeddingHead : OutputHead
{
    /// <summary>Length of the embedding; at least 1.</summary>
    public int Dimension { get; init; }

    /// <summary>Name of the output column. Default <c>Embedding</c>; not empty.</summary>
    public string ColumnName { get; init; } = HeadColumnNames.Embedding;

    /// <summary>Whether rows are scaled to unit L2 norm. Default <see langword="true"/>; off, the network's outputs are the column as they are (e.g. backbone features).</summary>
    public bool Normalize { get; init; } = true;

    /// <inheritdoc />
    public override int NetworkOutputs => Dimension;

    /// <summary>Scales each row to unit L2 norm (rows of zeros stay zero), or with <see cref="Normalize"/> off returns the rows as they are.</summary>
    /// <param name="output">Raw embeddings <c>[B, Dimension]</c>.</param>
    public override Tensor PostProcess(Tensor output) => Normalize ? nn.functional.normalize(output, p: 2, dim: 1) : output;

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns() =>
    [
        OutputColumn.Create(ColumnName, new VectorDataViewType(NumberDataViewType.Single, Dimension), null, OutputValues.Slice(0, Dimension)),
    ];

    /// <summary>The embedding divided by max(‖x‖₂, 1e-12), as <see cref="PostProcess"/> computes it (or the outputs as they are).</summary>
    /// <inheritdoc />
    public override void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Normalize)
        {
            builder.AddNode("Identity", [output], [columns[ColumnName]]);
            return;
        }

        var norm = builder.AddOp("ReduceL2", [output], "norm", OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 1));
        var safe = builder.AddOp("Max", [norm, builder.AddScalar("epsilon", 1e-12f)], "norm.safe");
        builder.AddNode("Div", [output, safe], [columns[ColumnName]]);
    }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(Dimension >= 1, Dimension, nameof(Dimension), "at least 1");
        OptionCheck.RequireName(ColumnName, nameof(ColumnName));
    }
}

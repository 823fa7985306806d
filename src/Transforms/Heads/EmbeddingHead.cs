using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// An embedding: the network's outputs scaled to unit L2 norm, appended as one vector column
/// (<see cref="ColumnName"/>). Distances between embeddings compare inputs (verification,
/// nearest-neighbour identification, clustering).
/// </summary>
[RegisteredName("embedding")]
public sealed class EmbeddingHead : OutputHead
{
    /// <summary>Length of the embedding; at least 1.</summary>
    public int Dimension { get; init; }

    /// <summary>Name of the output column. Default <c>Embedding</c>; not empty.</summary>
    public string ColumnName { get; init; } = HeadColumnNames.Embedding;

    /// <inheritdoc />
    public override int NetworkOutputs => Dimension;

    /// <summary>Scales each row to unit L2 norm (rows of zeros stay zero).</summary>
    /// <param name="output">Raw embeddings <c>[B, Dimension]</c>.</param>
    public override Tensor PostProcess(Tensor output) => nn.functional.normalize(output, p: 2, dim: 1);

    /// <inheritdoc />
    public override IReadOnlyList<OutputColumn> CreateColumns() =>
    [
        OutputColumn.Create(ColumnName, new VectorDataViewType(NumberDataViewType.Single, Dimension), null, OutputValues.Slice(0, Dimension)),
    ];

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(Dimension >= 1, Dimension, nameof(Dimension), "at least 1");
        OptionCheck.RequireName(ColumnName, nameof(ColumnName));
    }
}

using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>
/// Learns an embedding: the network outputs <see cref="Dimension"/> values, scaled to unit length,
/// such that rows of the same class lie close and rows of different classes at least
/// <see cref="Margin"/> apart. The loss is the contrastive loss over every pair of rows in a batch,
/// <c>mean(same·d² + (1 − same)·max(0, margin − d)²)</c> with <c>d</c> the Euclidean distance; the metric
/// is pair accuracy (a pair is judged "same" when <c>d &lt; margin / 2</c>). Labels are class keys or
/// Single class indices, used only to form pairs; the head is <see cref="EmbeddingHead"/>.
/// </summary>
public sealed class EmbeddingTask : TrainingTask
{
    private const string Name = "Embedding";

    /// <summary>Creates the task.</summary>
    /// <param name="dimension">Length of the embedding. Default 32; at least 1.</param>
    /// <param name="margin">Distance pairs of different classes are pushed beyond. Default 1; in (0, 2] (unit vectors are at most 2 apart).</param>
    /// <param name="columnName">Name of the output column. Default <c>Embedding</c>.</param>
    public EmbeddingTask(int dimension = 32, double margin = 1.0, string columnName = HeadColumnNames.Embedding)
    {
        OptionCheck.Require(dimension >= 1, dimension, nameof(dimension), "at least 1");
        OptionCheck.Require(margin > 0 && margin <= 2, margin, nameof(margin), "in (0, 2]");
        OptionCheck.RequireName(columnName, nameof(columnName));
        Dimension = dimension;
        Margin = margin;
        ColumnName = columnName;
    }

    /// <summary>Length of the embedding.</summary>
    public int Dimension { get; }

    /// <summary>Distance pairs of different classes are pushed beyond.</summary>
    public double Margin { get; }

    /// <summary>Name of the output column.</summary>
    public string ColumnName { get; }

    /// <inheritdoc />
    public override string MetricName => "pair accuracy";

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target)
    {
        var (distance, same, pairs) = Pairs(output, target);
        var apart = (Margin - distance).clamp_min(0);
        var perPair = same * distance.square() + (1 - same) * apart.square();
        return perPair.mul(pairs).sum().div(pairs.sum().clamp_min(1));
    }

    /// <inheritdoc />
    public override MetricAccumulator CreateMetric() => new PairAccuracy(this);

    internal override OutputHead PreviewHead() => new EmbeddingHead { Dimension = Dimension, ColumnName = ColumnName };

    internal override TargetBinding Bind(TargetContext context)
        => ScalarLabelBinding.ForClasses(context.Data, context.LabelColumnName, context.Training, Name, _ => Dimension, (_, _) => PreviewHead());

    /// <summary>Distances between all rows, which pairs share a class, and which pairs count (i ≠ j).</summary>
    private static (Tensor Distance, Tensor Same, Tensor Pairs) Pairs(Tensor output, Tensor target)
    {
        var embedding = nn.functional.normalize(output, p: 2, dim: 1);

        // Distances through the Gram matrix (differentiable at 0 thanks to the clamp inside the root).
        var gram = embedding.matmul(embedding.t());
        var distance = (2 - 2 * gram).clamp_min(1e-12).sqrt();
        var labels = target.view(-1);
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0)).to(output.dtype);
        var pairs = ones_like(same).sub(eye(same.shape[0], dtype: output.dtype, device: output.device));
        return (distance, same, pairs);
    }

    private sealed class PairAccuracy(EmbeddingTask task) : MetricAccumulator
    {
        private double _correct;
        private double _pairs;

        public override void Update(Tensor output, Tensor target)
        {
            using var scope = NewDisposeScope();
            var (distance, same, pairs) = Pairs(output, target);
            var judgedSame = distance.lt(task.Margin / 2).to(output.dtype);
            _correct += judgedSame.eq(same).to(output.dtype).mul(pairs).sum().item<float>();
            _pairs += pairs.sum().item<float>();
        }

        public override double Compute() => _pairs == 0 ? double.NaN : _correct / _pairs;
    }
}

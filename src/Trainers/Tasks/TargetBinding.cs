using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>A task bound to the label columns of a data set: how targets are read and what the network and head must be.</summary>
internal abstract class TargetBinding
{
    protected TargetBinding(IReadOnlyList<DataViewSchema.Column> columns, IReadOnlyList<string> warnings)
    {
        Columns = columns;
        Warnings = warnings;
    }

    /// <summary>The label columns a target is read from (one for most tasks, one per task of a multi-task network).</summary>
    public IReadOnlyList<DataViewSchema.Column> Columns { get; }

    /// <summary>What looked wrong in the labels but does not stop training (logged and kept in the history).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Values per row the network must output.</summary>
    public abstract int NetworkOutputs { get; }

    /// <summary>Shape of one row's target; empty for a scalar.</summary>
    public virtual IReadOnlyList<long> TargetShape => [];

    /// <summary>Element type of target batches.</summary>
    public abstract ScalarType TargetType { get; }

    /// <summary>A reader of the current row's target; the row must have every column of <see cref="Columns"/> active.</summary>
    public abstract ITargetReader CreateReader(DataViewRow row);

    /// <summary>
    /// The loss and metric when they depend on what the binding learned from the data (a detector's
    /// anchors and grid), else <see langword="null"/>: the task's own.
    /// </summary>
    public virtual ILossTask? Loss => null;

    /// <summary>The head of the trained network.</summary>
    public abstract OutputHead CreateHead();
}

/// <summary>Reads the current row's target.</summary>
internal interface ITargetReader
{
    /// <summary>Writes the current row's target.</summary>
    /// <param name="target">Receives the target values.</param>
    /// <param name="position">The row's position, for error messages.</param>
    /// <exception cref="InvalidOperationException">The label is missing or invalid; the message names the column, row and value.</exception>
    void Read(Span<float> target, long position);
}

using System.Globalization;
using DeepLearning.Transforms.Heads;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks;

/// <summary>A binding whose target is one value per label column: 0, 1 or NaN (missing), as a float row <c>[tasks]</c>.</summary>
internal sealed class MultiTaskLabelBinding : TargetBinding
{
    private const string Task = MultiTaskBinaryClassificationTask.Name;
    private readonly Func<OutputHead> _createHead;

    private MultiTaskLabelBinding(IReadOnlyList<DataViewSchema.Column> columns, Func<OutputHead> createHead)
        : base(columns, [])
        => _createHead = createHead;

    /// <inheritdoc />
    public override int NetworkOutputs => Columns.Count;

    /// <inheritdoc />
    public override IReadOnlyList<long> TargetShape => [Columns.Count];

    /// <inheritdoc />
    public override ScalarType TargetType => ScalarType.Float32;

    /// <inheritdoc />
    public override ITargetReader CreateReader(DataViewRow row)
        => new Reader([.. Columns.Select(c => LabelColumn.CreateGetter(row, c, LabelColumn.Kind.BinaryOrMissing, Task))]);

    /// <inheritdoc />
    public override OutputHead CreateHead() => _createHead();

    /// <summary>
    /// Finds the label columns (Boolean or Single) and, for training data (<paramref name="checkCounts"/>),
    /// reads every label once: each must be 0, 1 or NaN, and each task needs both classes among its present labels.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A label column is missing or of another type.</exception>
    /// <exception cref="InvalidOperationException">The data is empty, a label is not 0, 1 or NaN, or a task has no present label or one class only.</exception>
    public static MultiTaskLabelBinding Create(IDataView data, IReadOnlyList<string> labelColumnNames, bool checkCounts, Func<OutputHead> createHead)
    {
        var columns = labelColumnNames.Select(name => LabelColumn.Find(data.Schema, name, LabelColumn.Kind.BinaryOrMissing, Task)).ToArray();
        if (checkCounts)
        {
            CheckCounts(data, columns);
        }

        return new MultiTaskLabelBinding(columns, createHead);
    }

    private static void CheckCounts(IDataView data, DataViewSchema.Column[] columns)
    {
        var negatives = new long[columns.Length];
        var positives = new long[columns.Length];
        long rows = 0;
        using (var cursor = data.GetRowCursor(columns))
        {
            var getters = columns.Select(c => LabelColumn.CreateGetter(cursor, c, LabelColumn.Kind.BinaryOrMissing, Task)).ToArray();
            while (cursor.MoveNext())
            {
                rows++;
                for (var t = 0; t < columns.Length; t++)
                {
                    var value = getters[t](cursor.Position);
                    negatives[t] += value == 0 ? 1 : 0;
                    positives[t] += value == 1 ? 1 : 0;
                }
            }
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The data is empty: label columns {string.Join(", ", columns.Select(c => $"'{c.Name}'"))} have no rows.");
        }

        for (var t = 0; t < columns.Length; t++)
        {
            var name = columns[t].Name;
            if (negatives[t] + positives[t] == 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Label column '{name}' has no label in any of the {rows} rows (every value is NaN, i.e. missing); {Task} needs present labels of both classes for every task: label some rows or leave the task out."));
            }

            if (negatives[t] == 0 || positives[t] == 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Label column '{name}' holds only the value {(positives[t] == 0 ? 0 : 1)} in its {negatives[t] + positives[t]} present labels; {Task} needs both 0 and 1 for every task."));
            }
        }
    }

    private sealed class Reader(Func<long, float>[] getters) : ITargetReader
    {
        public void Read(Span<float> target, long position)
        {
            for (var t = 0; t < getters.Length; t++)
            {
                target[t] = getters[t](position);
            }
        }
    }
}

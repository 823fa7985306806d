using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// A row of a row-to-row mapper that passes the input row's columns through and appends computed ones after
/// them (output column i ≥ the input's column count is computed column i − that count). Subclasses give the
/// getters of the computed columns and dispose what they read with.
/// </summary>
internal abstract class AppendedColumnsRow : DataViewRow
{
    private readonly DataViewSchema _outputSchema;
    private readonly int _inputCount;
    private readonly bool[] _active;

    protected AppendedColumnsRow(DataViewRow input, DataViewSchema outputSchema, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        Input = input;
        _outputSchema = outputSchema;
        _inputCount = input.Schema.Count;
        _active = new bool[outputSchema.Count];
        foreach (var column in activeColumns)
        {
            _active[column.Index] = true;
        }
    }

    /// <summary>The input row.</summary>
    protected DataViewRow Input { get; }

    /// <summary>Whether any appended column is active (so the row needs to read its input for them).</summary>
    protected bool AnyAppendedActive => _active.Skip(_inputCount).Any(a => a);

    public override DataViewSchema Schema => _outputSchema;

    public override long Position => Input.Position;

    public override long Batch => Input.Batch;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
        {
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
        }

        if (column.Index < _inputCount)
        {
            return Input.GetGetter<TValue>(Input.Schema[column.Index]);
        }

        return AppendedGetter(column.Index - _inputCount) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => Input.GetIdGetter();

    /// <summary>The getter (a <see cref="ValueGetter{TValue}"/>) of appended column <paramref name="appended"/>.</summary>
    protected abstract Delegate AppendedGetter(int appended);
}

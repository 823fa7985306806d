using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Tuning;

/// <summary>A study's trials as an <see cref="IDataView"/>: numbers are <see cref="double"/>, names are text, Feasible is Boolean.</summary>
internal sealed class TrialsDataView : RandomAccessDataView
{
    private readonly TrialColumns _columns;

    public TrialsDataView(TrialColumns columns)
    {
        _columns = columns;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns.Columns)
        {
            builder.AddColumn(column.Name, column.Type == typeof(string) ? TextDataViewType.Instance
                : column.Type == typeof(bool) ? BooleanDataViewType.Instance : NumberDataViewType.Double);
        }

        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public override DataViewSchema Schema { get; }

    /// <inheritdoc />
    protected override int RowCount => _columns.Rows;

    /// <inheritdoc />
    protected override Delegate CreateGetter(int columnIndex, Func<int> row)
    {
        var column = _columns.Columns[columnIndex];
        if (column.Type == typeof(string))
        {
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = ((string)column.Values[row()]).AsMemory());
        }

        return column.Type == typeof(bool)
            ? (ValueGetter<bool>)((ref bool value) => value = (bool)column.Values[row()])
            : (ValueGetter<double>)((ref double value) => value = (double)column.Values[row()]);
    }
}

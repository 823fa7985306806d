using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Counts the rows of a view.</summary>
internal static class DataRows
{
    /// <summary>The row count: the view's own when it knows it, else one pass of a cursor with no columns.</summary>
    /// <param name="data">The data.</param>
    public static int Count(IDataView data)
    {
        if (data.GetRowCount() is { } known)
        {
            return checked((int)known);
        }

        var count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }
}

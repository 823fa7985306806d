using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>One input of a split: its rows, and the group key and stratum of each row when asked for.</summary>
internal sealed class SplitSource
{
    private SplitSource(IDataView data, int rowCount, string?[]? groups, string?[]? strata)
    {
        Data = data;
        RowCount = rowCount;
        Groups = groups;
        Strata = strata;
    }

    /// <summary>The data.</summary>
    public IDataView Data { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Group key of each row, or <see langword="null"/> without a sampling key column.</summary>
    public string?[]? Groups { get; }

    /// <summary>Stratum of each row, or <see langword="null"/> without stratification.</summary>
    public string?[]? Strata { get; }

    /// <summary>Reads the group and stratum columns the options name (one pass each; the rest of the data is not read).</summary>
    /// <param name="data">The data.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="parameter">The parameter holding <paramref name="data"/>, for messages.</param>
    /// <exception cref="ArgumentException">A named column is missing or not scalar, or the data has no rows.</exception>
    public static SplitSource Read(IDataView data, TrainDevTestSplitOptions options, string parameter)
    {
        ArgumentNullException.ThrowIfNull(data, parameter);
        var groups = options.SamplingKeyColumnName is { } key ? ColumnText.Read(data, key, nameof(options.SamplingKeyColumnName)) : null;
        var strata = options.StratificationColumnName is { } stratum ? ColumnText.Read(data, stratum, nameof(options.StratificationColumnName)) : null;
        var rows = groups?.Length ?? strata?.Length ?? DataRows.Count(data);
        if (rows == 0)
        {
            throw new ArgumentException($"The {parameter} has no rows to split.", parameter);
        }

        return new SplitSource(data, rows, groups, strata);
    }

    /// <summary>Number of groups (rows when there is no sampling key; a row with a missing key is a group of its own).</summary>
    public int GroupCount => Groups is null ? RowCount : Groups.Where(g => g is not null).Distinct(StringComparer.Ordinal).Count() + Groups.Count(g => g is null);

    /// <summary>Assigns each row a split.</summary>
    /// <param name="shares">The splits in fill order with their shares (summing to 1).</param>
    /// <param name="random">The seeded generator.</param>
    public DataSplit[] Assign(IReadOnlyList<(DataSplit Split, double Share)> shares, Random random)
        => SplitAssignment.Assign(RowCount, Groups, Strata, shares, random);
}

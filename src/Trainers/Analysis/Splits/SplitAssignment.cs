namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Assigns the rows of one source to splits: whole groups at a time (rows sharing a group key stay
/// together), each stratum on its own so every split gets its share of every stratum, in a seeded
/// random order.
/// </summary>
internal static class SplitAssignment
{
    /// <summary>Assigns each row a split.</summary>
    /// <param name="rowCount">Rows of the source.</param>
    /// <param name="groups">Group key of each row, or <see langword="null"/> when each row is its own group; a row with a missing key is its own group.</param>
    /// <param name="strata">Stratum of each row, or <see langword="null"/> for one stratum; a group's stratum is that of its first row.</param>
    /// <param name="shares">The splits in the order they are filled, each with its share of the rows; the shares sum to 1.</param>
    /// <param name="random">The seeded generator that orders the groups.</param>
    /// <returns>The split of each row.</returns>
    /// <remarks>
    /// Within a stratum the groups are shuffled and laid end to end; a group goes to the split whose
    /// share of the stratum's rows holds the middle of the group, so each split's row count is within
    /// half a group of its share.
    /// </remarks>
    public static DataSplit[] Assign(int rowCount, string?[]? groups, string?[]? strata, IReadOnlyList<(DataSplit Split, double Share)> shares, Random random)
    {
        var assignment = new DataSplit[rowCount];
        foreach (var stratum in Units(rowCount, groups).GroupBy(unit => strata?[unit[0]]))
        {
            var units = stratum.ToArray();
            random.Shuffle(units);
            double total = units.Sum(u => u.Count);
            double start = 0;
            foreach (var unit in units)
            {
                var middle = (start + unit.Count / 2.0) / total;
                start += unit.Count;
                var split = Pick(shares, middle);
                unit.ForEach(row => assignment[row] = split);
            }
        }

        return assignment;
    }

    /// <summary>The rows of each group, groups in order of first appearance.</summary>
    private static IEnumerable<List<int>> Units(int rowCount, string?[]? groups)
    {
        if (groups is null)
        {
            return Enumerable.Range(0, rowCount).Select(row => new List<int> { row });
        }

        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var units = new List<List<int>>();
        for (var row = 0; row < rowCount; row++)
        {
            if (groups[row] is not { } key)
            {
                units.Add([row]);
            }
            else if (byKey.TryGetValue(key, out var rows))
            {
                rows.Add(row);
            }
            else
            {
                byKey[key] = rows = [row];
                units.Add(rows);
            }
        }

        return units;
    }

    private static DataSplit Pick(IReadOnlyList<(DataSplit Split, double Share)> shares, double position)
    {
        double end = 0;
        foreach (var (split, share) in shares)
        {
            end += share;
            if (position < end)
            {
                return split;
            }
        }

        // Rounding can leave the last position just past the sum: it belongs to the last split with a share.
        return shares.Last(s => s.Share > 0).Split;
    }
}

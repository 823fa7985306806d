using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>The checks of a split's inputs and result, each with a message naming the option or column at fault.</summary>
internal static class SplitCheck
{
    /// <summary>Throws when the training set, or a set asked for with a positive fraction, has no rows.</summary>
    /// <param name="result">The split.</param>
    /// <param name="options">Its options.</param>
    /// <param name="size">How big the data is, for the message.</param>
    public static void NotEmpty(TrainDevTestData result, TrainDevTestSplitOptions options, string size)
    {
        Require(result.TrainSet, 1, "TrainDevFraction + DevFraction + TestFraction", "training set", size);
        Require(result.TrainDevSet, options.TrainDevFraction, nameof(options.TrainDevFraction), "train-dev set", size);
        Require(result.DevSet, options.DevFraction, nameof(options.DevFraction), "dev set", size);
        Require(result.TestSet, options.TestFraction, nameof(options.TestFraction), "test set", size);
    }

    /// <summary>Throws when the two inputs do not have the same columns of the same types.</summary>
    /// <param name="training">The training-distribution data.</param>
    /// <param name="target">The target-distribution data.</param>
    public static void SameSchema(IDataView training, IDataView target)
    {
        foreach (var column in training.Schema.Where(c => !c.IsHidden))
        {
            var other = target.Schema.GetColumnOrNull(column.Name);
            if (other is null || !other.Value.Type.Equals(column.Type))
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' is {column.Type} in trainingDistribution but {other?.Type.ToString() ?? "absent"} in targetDistribution; both need the same columns and types.",
                    nameof(target));
            }
        }

        if (target.Schema.Count(c => !c.IsHidden) != training.Schema.Count(c => !c.IsHidden))
        {
            var extra = target.Schema.Where(c => !c.IsHidden && training.Schema.GetColumnOrNull(c.Name) is null).Select(c => c.Name);
            throw new ArgumentException($"targetDistribution has columns trainingDistribution lacks ({string.Join(", ", extra)}); both need the same columns and types.", nameof(target));
        }
    }

    /// <summary>Throws when a group key occurs in both inputs: its rows could land in train and in dev.</summary>
    /// <param name="training">The training-distribution source.</param>
    /// <param name="target">The target-distribution source.</param>
    /// <param name="options">The options naming the key column.</param>
    public static void NoSharedGroups(SplitSource training, SplitSource target, TrainDevTestSplitOptions options)
    {
        if (training.Groups is null || target.Groups is null)
        {
            return;
        }

        var keys = training.Groups.Where(g => g is not null).ToHashSet(StringComparer.Ordinal);
        if (target.Groups.FirstOrDefault(g => g is not null && keys.Contains(g)) is { } shared)
        {
            throw new ArgumentException(
                $"Group '{shared}' of column {nameof(options.SamplingKeyColumnName)} = '{options.SamplingKeyColumnName}' occurs in both trainingDistribution and targetDistribution; a group must belong to one distribution so it cannot leak across sets.",
                nameof(options));
        }
    }

    private static void Require(IDataView set, double fraction, string option, string name, string size)
    {
        if (fraction > 0 && set.GetRowCount() == 0)
        {
            var value = fraction == 1 ? string.Empty : $" = {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            throw new ArgumentException($"Option {option}{value} leaves the {name} empty: {size}. Give more data or a larger share.", option);
        }
    }
}

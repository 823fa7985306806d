using System.Globalization;
using System.Text;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// The spreadsheet method of error analysis: examine misclassified rows (all of them or a sample),
/// give each the tags that describe it (e.g. <c>blurry</c>, <c>dog</c>, <c>mislabelled</c>, from a
/// tag set declared up front), then count each tag's share of the examined errors and the ceiling on
/// what fixing that kind of error could gain (share × current error rate). Rows are 0-based
/// positions in the scored view.
/// </summary>
public sealed class ErrorTagSheet
{
    private readonly HashSet<string> _declared;
    private readonly string?[] _truth;
    private readonly string?[] _predicted;
    private readonly Dictionary<int, HashSet<string>> _examined = [];

    internal ErrorTagSheet(IEnumerable<string> tags, string?[] truth, string?[] predicted)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = tags.ToArray();
        OptionCheck.Require(list.Length > 0, "[]", nameof(tags), "at least one tag");
        _declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in list)
        {
            OptionCheck.RequireName(tag, nameof(tags));
            if (!_declared.Add(tag))
            {
                throw new ArgumentException($"Option tags lists '{tag}' twice; each tag is declared once.", nameof(tags));
            }
        }

        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"trueLabels has {truth.Length} rows but predictedLabels has {predicted.Length}; they must be equal.", nameof(predicted));
        }

        Tags = list;
        _truth = truth;
        _predicted = predicted;
        var labelled = truth.Count(t => t is not null);
        if (labelled == 0)
        {
            throw new ArgumentException("No row has a true label: there are no errors to analyse.", nameof(truth));
        }

        Misclassified = Enumerable.Range(0, truth.Length)
            .Where(IsWrong)
            .Select(i => new MisclassifiedRow(i, truth[i]!, predicted[i] ?? string.Empty))
            .ToArray();
        ErrorRate = Misclassified.Count / (double)labelled;
    }

    /// <summary>The declared tags, in the order the counts list them.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The current error rate: misclassified over labelled rows.</summary>
    public double ErrorRate { get; }

    /// <summary>The misclassified rows, in row order: the ones to examine and tag.</summary>
    public IReadOnlyList<MisclassifiedRow> Misclassified { get; }

    /// <summary>How many misclassified rows were examined (tagged, possibly with no tag).</summary>
    public int ExaminedCount => _examined.Count;

    /// <summary>Builds a sheet from the true and predicted class of each row.</summary>
    /// <param name="tags">The tag set; non-empty, distinct, non-blank.</param>
    /// <param name="trueLabels">True class of each row; <see langword="null"/> for an unlabelled row, which is left out.</param>
    /// <param name="predictedLabels">Predicted class of each row.</param>
    /// <returns>The sheet, with no row examined yet.</returns>
    /// <exception cref="ArgumentException">The tag set is empty or repeats a tag, the lengths differ, or no row is labelled.</exception>
    public static ErrorTagSheet FromLabels(IEnumerable<string> tags, IReadOnlyList<string?> trueLabels, IReadOnlyList<string?> predictedLabels)
    {
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predictedLabels);
        return new ErrorTagSheet(tags, [.. trueLabels], [.. predictedLabels]);
    }

    /// <summary>Records a misclassified row as examined, with its tags (none for an error of no listed kind). Tagging a row again adds to its tags.</summary>
    /// <param name="row">0-based row of the scored view; must be misclassified.</param>
    /// <param name="tags">Tags from the declared set.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not a row.</exception>
    /// <exception cref="ArgumentException">The row is classified correctly or has no label, or a tag is not declared.</exception>
    public void Tag(int row, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        OptionCheck.Require(row >= 0 && row < _truth.Length, row, nameof(row), $"a row in [0, {_truth.Length})");
        if (!IsWrong(row))
        {
            var why = _truth[row] is null ? "has no label" : $"is classified correctly (true and predicted '{_truth[row]}')";
            throw new ArgumentException($"Row {row} {why}; only misclassified rows are tagged.", nameof(row));
        }

        var unknown = Array.FindIndex(tags, t => t is null || !_declared.Contains(t));
        if (unknown >= 0)
        {
            throw new ArgumentException($"Tag '{tags[unknown]}' on row {row} is not one of the declared tags ({string.Join(", ", Tags)}).", nameof(tags));
        }

        if (!_examined.TryGetValue(row, out var given))
        {
            _examined[row] = given = new HashSet<string>(StringComparer.Ordinal);
        }

        given.UnionWith(tags);
    }

    /// <summary>The tags of an examined row (empty for a row not examined).</summary>
    /// <param name="row">0-based row.</param>
    public IReadOnlyCollection<string> TagsOf(int row) => _examined.TryGetValue(row, out var tags) ? tags : [];

    /// <summary>Counts each declared tag over the examined rows, in declared order.</summary>
    /// <returns>One count per tag.</returns>
    /// <exception cref="InvalidOperationException">No row has been examined.</exception>
    public IReadOnlyList<TagCount> Count()
    {
        if (_examined.Count == 0)
        {
            throw new InvalidOperationException($"No misclassified row has been tagged yet (there are {Misclassified.Count}); call Tag first.");
        }

        return Tags.Select(tag =>
        {
            var count = _examined.Values.Count(t => t.Contains(tag));
            var share = count / (double)_examined.Count;
            return new TagCount(tag, count, share, share * ErrorRate);
        }).ToArray();
    }

    /// <summary>The counts as a table: tag, count, share of the examined errors, ceiling on improvement.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Examined {ExaminedCount} of {Misclassified.Count} misclassified rows; error rate {100 * ErrorRate:0.00}%"));
        if (ExaminedCount == 0)
        {
            return text.ToString();
        }

        var width = Math.Max(3, Tags.Max(t => t.Length)) + 2;
        text.AppendLine(Invariant($"{"tag".PadRight(width)}{"count",7}{"share of errors",17}{"ceiling",12}"));
        foreach (var count in Count().OrderByDescending(c => c.Count))
        {
            text.AppendLine(Invariant($"{count.Tag.PadRight(width)}{count.Count,7}{100 * count.ShareOfErrors,16:0.0}%{100 * count.ImprovementCeiling,8:0.00} pts"));
        }

        return text.ToString();
    }

    private bool IsWrong(int row) => _truth[row] is not null && !string.Equals(_truth[row], _predicted[row], StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;

namespace DeepLearning.Trainers.Tuning;

/// <summary>Writes a study's trials as CSV (comma-separated, invariant culture, quoted where needed, empty for a missing number).</summary>
internal static class TrialsCsv
{
    public static void Write(TrialColumns table, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var text = new StringBuilder();
        text.AppendLine(string.Join(",", table.Columns.Select(c => Quote(c.Name))));
        for (var row = 0; row < table.Rows; row++)
        {
            text.AppendLine(string.Join(",", table.Columns.Select(c => Cell(c.Values[row]))));
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Cell(object value) => value switch
    {
        double d when double.IsNaN(d) => string.Empty,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Quote((string)value),
    };

    private static string Quote(string text)
        => text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

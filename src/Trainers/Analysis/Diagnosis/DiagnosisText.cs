using System.Globalization;
using System.Text;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Formats a diagnosis as a text report: the errors, the gaps, the verdict and its actions.</summary>
internal static class DiagnosisText
{
    /// <summary>The errors of a diagnosis with their labels, in the order of the sets; absent ones left out.</summary>
    /// <param name="diagnosis">The diagnosis.</param>
    public static IEnumerable<(string Label, double Error)> Errors(ErrorDiagnosis diagnosis)
    {
        yield return ("human-level", diagnosis.HumanError);
        yield return ("train", diagnosis.TrainError);
        if (diagnosis.TrainDevError is { } trainDev)
        {
            yield return ("train-dev", trainDev);
        }

        yield return ("dev", diagnosis.DevError);
        if (diagnosis.TestError is { } test)
        {
            yield return ("test", test);
        }
    }

    /// <summary>Formats the report.</summary>
    /// <param name="diagnosis">The diagnosis.</param>
    public static string Format(ErrorDiagnosis diagnosis)
    {
        var text = new StringBuilder();
        text.AppendLine("Errors");
        foreach (var (label, error) in Errors(diagnosis))
        {
            text.AppendLine(Invariant($"  {label,-28}{Percent(error),8}"));
        }

        text.AppendLine("Gaps");
        foreach (var gap in diagnosis.Gaps)
        {
            var mark = ReferenceEquals(gap, diagnosis.LargestGap) ? "  <- largest" : string.Empty;
            text.AppendLine(Invariant($"  {gap.Name + " (" + gap.Between + ")",-44}{Points(gap.Size),10}{mark}"));
        }

        if (diagnosis.TrainDevError is null)
        {
            text.AppendLine("Without a train-dev error, variance and data mismatch cannot be separated: hold out a train-dev set from the training distribution.");
        }

        if (diagnosis.TrainError < diagnosis.HumanError)
        {
            text.AppendLine("The training error is below human level: human-level error no longer bounds the Bayes error well, and progress gets slower.");
        }

        if (diagnosis.LargestGap is not { } largest)
        {
            text.AppendLine("No gap is positive: the model is at human level on every set.");
            return text.ToString();
        }

        text.AppendLine(Invariant($"Largest gap: {largest.Name} ({Points(largest.Size)}). Recommended:"));
        foreach (var action in largest.Actions)
        {
            text.AppendLine("  - " + action);
        }

        return text.ToString();
    }

    private static string Percent(double error) => Invariant($"{100 * error:0.0}%");

    private static string Points(double gap) => Invariant($"{100 * gap:+0.0;-0.0;0.0} pts");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

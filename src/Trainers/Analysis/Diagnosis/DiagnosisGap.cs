namespace DeepLearning.Trainers.Analysis;

/// <summary>One gap of a diagnosis: its size in error points and what to do about it.</summary>
public sealed class DiagnosisGap
{
    internal DiagnosisGap(DiagnosisProblem problem, double size)
    {
        Problem = problem;
        Size = size;
    }

    /// <summary>Which gap this is.</summary>
    public DiagnosisProblem Problem { get; }

    /// <summary>Its name, e.g. <c>avoidable bias</c>.</summary>
    public string Name => Remedies.Name(Problem);

    /// <summary>The errors it subtracts, e.g. <c>train − human-level</c>.</summary>
    public string Between => Remedies.Between(Problem);

    /// <summary>The difference of the two error rates (a fraction, e.g. 0.07 for 7 points); negative when the later set does better.</summary>
    public double Size { get; }

    /// <summary>The recommended actions, most direct first.</summary>
    public IReadOnlyList<string> Actions => Remedies.Actions(Problem);
}

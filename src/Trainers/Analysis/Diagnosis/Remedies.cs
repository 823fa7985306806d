using System.Collections.Frozen;

namespace DeepLearning.Trainers.Analysis;

/// <summary>What the "structuring ML projects" method recommends for each gap, and how each gap is named and computed.</summary>
internal static class Remedies
{
    private static readonly string[] Bias =
    [
        "train a bigger model (more units, more layers)",
        "train longer",
        "use a better optimisation algorithm (momentum, RMSprop, Adam) or tune its learning rate",
        "search for a better architecture and hyper-parameters",
    ];

    private static readonly string[] Variance =
    [
        "get more training data",
        "add regularisation (L2 / weight decay, dropout, early stopping)",
        "augment the training data",
        "search for a better architecture and hyper-parameters",
    ];

    private static readonly string[] Mismatch =
    [
        "carry out error analysis to understand how the training and dev/test data differ",
        "make the training data more like the dev data: collect more data like it, or synthesise it (artificial data synthesis)",
        "move some of the target-distribution data into the training set",
    ];

    private static readonly FrozenDictionary<DiagnosisProblem, (string Name, string Between, string[] Actions)> Table =
        new Dictionary<DiagnosisProblem, (string, string, string[])>
        {
            [DiagnosisProblem.AvoidableBias] = ("avoidable bias", "train − human-level", Bias),
            [DiagnosisProblem.Variance] = ("variance", "train-dev − train", Variance),
            [DiagnosisProblem.DataMismatch] = ("data mismatch", "dev − train-dev", Mismatch),
            [DiagnosisProblem.VarianceOrDataMismatch] = (
                "variance or data mismatch",
                "dev − train",
                ["hold out a train-dev set (from the training distribution) to tell variance from data mismatch", .. Variance, .. Mismatch]),
            [DiagnosisProblem.DevOverfitting] = (
                "overfitting to dev",
                "test − dev",
                ["get a bigger dev set", "tune less on the dev set (fewer, coarser choices)"]),
        }.ToFrozenDictionary();

    /// <summary>The gap's name, e.g. <c>avoidable bias</c>.</summary>
    /// <param name="problem">The gap.</param>
    public static string Name(DiagnosisProblem problem) => Table[problem].Name;

    /// <summary>Which errors the gap subtracts, e.g. <c>train − human-level</c>.</summary>
    /// <param name="problem">The gap.</param>
    public static string Between(DiagnosisProblem problem) => Table[problem].Between;

    /// <summary>The recommended actions, most direct first.</summary>
    /// <param name="problem">The gap.</param>
    public static IReadOnlyList<string> Actions(DiagnosisProblem problem) => Array.AsReadOnly(Table[problem].Actions);
}

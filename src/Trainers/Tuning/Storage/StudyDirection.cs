namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>The check every storage makes when a study is reopened.</summary>
internal static class StudyDirection
{
    /// <summary>Throws when an existing study was created with the other direction.</summary>
    public static void Check(string name, bool stored, bool requested)
    {
        if (stored != requested)
        {
            throw new InvalidOperationException($"Study '{name}' exists and {Word(stored)} its objective; this run {Word(requested)} it. Use another study name.");
        }
    }

    private static string Word(bool maximize) => maximize ? "maximizes" : "minimizes";
}

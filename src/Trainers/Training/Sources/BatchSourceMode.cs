namespace DeepLearning.Trainers.Training.Sources;

/// <summary>How training data is read: cached in memory as one tensor, or streamed from the data view every epoch.</summary>
public enum BatchSourceMode
{
    /// <summary>Cache when the examples fit the cache budget, otherwise stream.</summary>
    Auto,

    /// <summary>Always cache; data larger than the budget is an error.</summary>
    Cached,

    /// <summary>Always stream through a cursor with background prefetch.</summary>
    Streaming,
}

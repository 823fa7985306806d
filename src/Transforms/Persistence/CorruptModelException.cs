namespace DeepLearning.Transforms.Persistence;

/// <summary>
/// A saved model could not be loaded: an entry is missing, damaged, modified or of another format.
/// A <see cref="FormatException"/>, like the one ML.NET raises for a file that is not a model zip.
/// </summary>
public sealed class CorruptModelException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the entry.</param>
    /// <param name="entry">The entry of the model file that is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CorruptModelException(string message, string entry, Exception? inner = null)
        : base(message, inner)
    {
        Entry = entry;
    }

    /// <summary>The entry of the model file that is wrong, e.g. <c>weights.bin</c>.</summary>
    public string Entry { get; }
}

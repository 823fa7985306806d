namespace DeepLearning.Trainers.Training;

/// <summary>The one place that turns an invalid option into an exception naming the option and its value.</summary>
internal static class OptionChecks
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Whether the value is valid.</param>
    /// <param name="value">The value, shown in the message.</param>
    /// <param name="name">The option's name.</param>
    /// <param name="expected">What a valid value is, e.g. <c>at least 1</c>.</param>
    public static void Require(bool condition, object? value, string name, string expected)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Option {name} = {value ?? "null"} is invalid: it must be {expected}.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> when <paramref name="value"/> is null or blank.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The option's name.</param>
    public static void RequireName(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Option {name} must be a non-empty name, not '{value}'.", name);
        }
    }
}

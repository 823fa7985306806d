using System.Globalization;

namespace DeepLearning.Transforms.Validation;

/// <summary>
/// The one place that phrases option errors: <c>Option NAME = VALUE is invalid: it must be …</c>.
/// Used by trainer options, schedules, specs, heads and input adapters.
/// </summary>
internal static class OptionCheck
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option and its value unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Whether the value is valid.</param>
    /// <param name="value">The value, shown in the message.</param>
    /// <param name="name">The option's name.</param>
    /// <param name="expected">What a valid value is, e.g. <c>at least 1</c>.</param>
    public static void Require(bool condition, object? value, string name, string expected)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Option {name} = {Format(value)} is invalid: it must be {expected}.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the option when <paramref name="value"/> is null or blank.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The option's name.</param>
    public static void RequireName(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"Option {name} must be a non-empty name, not '{value}'.", name);
        }
    }

    /// <summary>Requires a list of at least one non-empty, distinct name (column names, for instance).</summary>
    /// <param name="values">The names.</param>
    /// <param name="name">The option's name.</param>
    public static void RequireNames(IReadOnlyList<string>? values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        Require(values.Count >= 1, values.Count, $"{name}.Count", "at least 1");
        for (var i = 0; i < values.Count; i++)
        {
            RequireName(values[i], $"{name}[{i}]");
        }

        var repeated = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        Require(repeated is null, repeated?.Key, name, "a list of distinct names");
    }

    /// <summary>Requires <paramref name="value"/> to be one of the named values of <typeparamref name="TEnum"/>.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="name">The option's name.</param>
    public static void RequireDefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
        => Require(Enum.IsDefined(value), value, name, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

using System.Globalization;
using DeepLearning.Transforms.Data;

namespace DeepLearning.Samples.Shared;

/// <summary>
/// Reads the value of one sample-specific option.
/// </summary>
/// <param name="value">The argument after the option's name.</param>
/// <returns>An error message, or <see langword="null"/> when the value is accepted.</returns>
internal delegate string? OptionHandler(string value);

/// <summary>Parses the options every sample takes (<c>--epochs</c>, <c>--data</c>, <c>--output</c>, <c>--quick</c>, <c>--help</c>) and hands the sample's own to it.</summary>
internal static class CommandLine
{
    /// <summary>Parses <paramref name="args"/>; on failure returns <see langword="null"/> and an error message (empty for --help).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="defaultOutput">The default of <c>--output</c>, relative to the current directory.</param>
    /// <param name="sampleOptions">The sample's own options that take a value, by name.</param>
    /// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
    /// <returns>The common options, or <see langword="null"/> when the sample should print its usage and stop.</returns>
    public static CommonOptions? Parse(string[] args, string defaultOutput, IReadOnlyDictionary<string, OptionHandler> sampleOptions, out string? error)
    {
        int? epochs = null;
        string data = IdxDataset.DefaultDirectory;
        string output = Path.Combine(Directory.GetCurrentDirectory(), defaultOutput);
        bool quick = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            bool hasValue = i + 1 < args.Length;
            switch (arg)
            {
                case "--epochs" when hasValue:
                    if (!TryPositive(args[++i], arg, out int n, out error))
                    {
                        return null;
                    }

                    epochs = n;
                    break;
                case "--data" when hasValue:
                    data = args[++i];
                    break;
                case "--output" when hasValue:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "-h" or "--help":
                    error = string.Empty;
                    return null;
                default:
                    if (hasValue && sampleOptions.TryGetValue(arg, out var handler))
                    {
                        error = handler(args[++i]);
                        if (error is not null)
                        {
                            return null;
                        }

                        break;
                    }

                    error = arg is "--epochs" or "--data" or "--output" || sampleOptions.ContainsKey(arg)
                        ? $"Option '{arg}' needs a value."
                        : $"Unexpected argument '{arg}'.";
                    return null;
            }
        }

        return new CommonOptions(epochs, data, output, quick);
    }

    /// <summary>Reads a positive integer.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="option">The option's name, for the error message.</param>
    /// <param name="value">The integer read.</param>
    /// <param name="error">Why <paramref name="text"/> is not a positive integer, or <see langword="null"/>.</param>
    /// <returns>Whether <paramref name="text"/> is a positive integer.</returns>
    public static bool TryPositive(string text, string option, out int value, out string? error)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= 1)
        {
            error = null;
            return true;
        }

        error = $"{option} needs a positive integer, not '{text}'.";
        return false;
    }
}

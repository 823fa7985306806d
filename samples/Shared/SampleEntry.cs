using System.Globalization;

namespace DeepLearning.Samples.Shared;

/// <summary>Parses a sample's arguments.</summary>
/// <typeparam name="TOptions">The sample's options.</typeparam>
/// <param name="args">The command-line arguments.</param>
/// <param name="error">Why parsing failed; empty when help was asked for; <see langword="null"/> on success.</param>
/// <returns>The options, or <see langword="null"/> when the sample should print its usage and stop.</returns>
internal delegate TOptions? OptionsParser<TOptions>(string[] args, out string? error)
    where TOptions : class;

/// <summary>What every sample's entry point does before and around its own work.</summary>
internal static class SampleEntry
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Switches to the invariant culture, parses the options and runs the sample. Returns 0 after
    /// <c>--help</c>, <see cref="UsageError"/> (with the message and the usage on stderr) when the
    /// arguments are wrong, else what <paramref name="run"/> returns.
    /// </summary>
    /// <typeparam name="TOptions">The sample's options.</typeparam>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="parse">The sample's parser.</param>
    /// <param name="usage">The sample's usage text.</param>
    /// <param name="run">The sample's work; returns the process exit code.</param>
    /// <returns>The process exit code.</returns>
    public static int Run<TOptions>(string[] args, OptionsParser<TOptions> parse, string usage, Func<TOptions, int> run)
        where TOptions : class
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        var options = parse(args, out var error);
        if (options is null)
        {
            if (!string.IsNullOrEmpty(error))
            {
                Console.Error.WriteLine(error);
            }

            Console.Error.WriteLine(usage);
            return string.IsNullOrEmpty(error) ? 0 : UsageError;
        }

        return run(options);
    }
}

using System.Diagnostics;
using System.Globalization;

namespace DeepLearning.Bench;

/// <summary>The resident set size of this process.</summary>
internal static class Rss
{
    /// <summary>The current resident set size in MiB (VmRSS from /proc/self/status, else the working set).</summary>
    public static double CurrentMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }
}

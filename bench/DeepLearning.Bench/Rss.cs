using System.Diagnostics;
using System.Globalization;

namespace DeepLearning.Bench;

/// <summary>The resident set size of this process.</summary>
internal static class Rss
{
    /// <summary>The current resident set size in MiB (VmRSS from /proc/self/status, else the working set).</summary>
    public static double CurrentMb() => StatusMb("VmRSS:") ?? WorkingSetMb(peak: false);

    /// <summary>The process's peak resident set size so far in MiB (VmHWM from /proc/self/status, else the peak working set).</summary>
    public static double PeakMb() => StatusMb("VmHWM:") ?? WorkingSetMb(peak: true);

    private static double? StatusMb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
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

        return null;
    }

    private static double WorkingSetMb(bool peak)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (peak ? process.PeakWorkingSet64 : process.WorkingSet64) / (1024.0 * 1024.0);
    }
}

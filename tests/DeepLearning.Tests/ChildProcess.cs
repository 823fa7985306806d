using System.Diagnostics;

namespace DeepLearning.Tests;

/// <summary>Runs a program to its end, capturing what it prints.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> and returns its exit code.</summary>
    public static int Run(string program, IEnumerable<string> arguments, out string output, out string error)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output = stdout.Result;
        return process.ExitCode;
    }
}

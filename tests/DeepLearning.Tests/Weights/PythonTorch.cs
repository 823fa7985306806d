namespace DeepLearning.Tests.Weights;

/// <summary>
/// Runs a script under Debian's python3 with torch (apt-get install python3-torch python3-torchvision;
/// .ci/run installs them and then sets DL_EXPECT_PYTORCH=1), the oracle for files PyTorch itself writes.
/// </summary>
internal static class PythonTorch
{
    private const string Python = "/usr/bin/python3";

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/>; returns false when python3 or
    /// one of <paramref name="modules"/> is not installed (where DL_EXPECT_PYTORCH=1 says they are, that
    /// fails the test instead), and fails the test when the script fails.
    /// </summary>
    public static bool TryRun(string script, IEnumerable<string> arguments, params string[] modules)
    {
        if (!File.Exists(Python) || !Run($"import {string.Join(", ", modules)}", [], out _))
        {
            Assert.False(Environment.GetEnvironmentVariable("DL_EXPECT_PYTORCH") == "1", $"DL_EXPECT_PYTORCH=1 says python3 has {string.Join(", ", modules)}; they are missing.");
            return false;
        }

        Assert.True(Run(script, arguments, out var error), error);
        return true;
    }

    private static bool Run(string script, IEnumerable<string> arguments, out string error)
        => ChildProcess.Run(Python, ["-c", script, .. arguments], out _, out error) == 0;
}

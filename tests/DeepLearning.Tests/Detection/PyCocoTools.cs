namespace DeepLearning.Tests.Detection;

/// <summary>
/// Runs <c>coco_eval.py</c> under the Python named by DL_PYCOCOTOOLS_PYTHON, one that has pycocotools
/// (.ci/run makes a venv with it and sets the variable, and DL_EXPECT_PYCOCOTOOLS=1 when the install worked).
/// </summary>
internal static class PyCocoTools
{
    private const string PythonVariable = "DL_PYCOCOTOOLS_PYTHON";
    private const string ExpectVariable = "DL_EXPECT_PYCOCOTOOLS";

    /// <summary>
    /// Runs the oracle on two COCO JSON files and returns its last output line; null (with the reason in
    /// <paramref name="skipped"/>) when no Python with pycocotools is configured, which fails the test instead
    /// when DL_EXPECT_PYCOCOTOOLS=1. Fails the test when the script fails.
    /// </summary>
    public static string? TryEvaluate(string groundTruthJson, string resultsJson, out string skipped)
    {
        var python = Environment.GetEnvironmentVariable(PythonVariable);
        skipped = string.Empty;
        if (string.IsNullOrEmpty(python) || !File.Exists(python) || ChildProcess.Run(python, ["-c", "import pycocotools.cocoeval"], out _, out _) != 0)
        {
            skipped = $"{PythonVariable} ('{python}') names no Python with pycocotools: the COCOeval comparison did not run.";
            Assert.False(Environment.GetEnvironmentVariable(ExpectVariable) == "1", $"{ExpectVariable}=1 but {skipped}");
            return null;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Detection", "coco_eval.py");
        var code = ChildProcess.Run(python, [script, groundTruthJson, resultsJson], out var output, out var error);
        Assert.True(code == 0, $"coco_eval.py failed ({code}): {error}");
        return output.Trim().Split('\n')[^1];
    }
}

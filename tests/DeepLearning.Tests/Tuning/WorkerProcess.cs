using System.Diagnostics;
using System.Text;

namespace DeepLearning.Tests.Tuning;

/// <summary>A tuning worker (tests/DeepLearning.TuningWorker) running in its own process, its output collected line by line.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();

    public WorkerProcess(string storage, string study, int trials, int epochMs, int heartbeatMs = 1000, int graceMs = 30_000, int? hangOn = null)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "DeepLearning.TuningWorker", "bin", here.Parent.Name, here.Name, "DeepLearning.TuningWorker.dll");
        Assert.True(File.Exists(dll), $"The tuning worker was not built at {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, storage, study, trials.ToString(), epochMs.ToString(), heartbeatMs.ToString(), graceMs.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        if (hangOn is not null)
        {
            start.Environment["DL_WORKER_HANG_ON"] = hangOn.Value.ToString();
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The trial numbers this worker ran.</summary>
    public IReadOnlyList<int> Ran => [.. Lines().Where(l => l.StartsWith("ran ", StringComparison.Ordinal)).Select(l => int.Parse(l[4..]))];

    /// <summary>The line the worker printed about the study's best trial.</summary>
    public string Best => Lines().Single(l => l.StartsWith("best ", StringComparison.Ordinal));

    /// <summary>Waits for the worker to exit successfully.</summary>
    public void WaitForExit()
    {
        Assert.True(_process.WaitForExit(TimeSpan.FromMinutes(2)), "The worker did not finish in 2 minutes.");
        _process.WaitForExit();
        Assert.True(_process.ExitCode == 0, $"The worker exited with {_process.ExitCode}: {_errors}");
    }

    /// <summary>Waits until the worker prints <paramref name="line"/>.</summary>
    public void WaitForLine(string line)
    {
        var clock = Stopwatch.StartNew();
        while (!Lines().Contains(line))
        {
            Assert.False(_process.HasExited, $"The worker exited before printing '{line}': {_errors}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"The worker did not print '{line}' in a minute.");
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills the worker, as a crash would.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private List<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace DeepLearning.Bench;

/// <summary>
/// A bench/pytorch script run in lockstep: the script loads the data, says it is ready, and runs one
/// epoch each time it is asked (<see cref="Epoch"/> for mlp.py, <see cref="Request"/> for cnn.py), so
/// its epochs interleave with ours on the same machine.
/// It uses Debian's python3-torch with OpenBLAS (2 threads, OpenMP wait policy passive: its best
/// setting here). TryStart returns null when no interpreter with torch is found.
/// </summary>
internal sealed class PyTorchPeer : IDisposable
{
    private readonly Process _process;

    private PyTorchPeer(Process process) => _process = process;

    /// <summary>The torch version the peer reported.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The first line the peer printed (its <c>{"ready": true, …}</c>).</summary>
    public string ReadyLine { get; private set; } = string.Empty;

    /// <summary>Starts bench/pytorch/mlp.py in lockstep for <paramref name="epochs"/> epochs.</summary>
    public static PyTorchPeer? TryStart(int epochs, string dataDirectory)
        => TryStart("mlp.py", ["--lockstep", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataDirectory]);

    /// <summary>Starts bench/pytorch/<paramref name="script"/> with <paramref name="arguments"/> and waits for its ready line.</summary>
    public static PyTorchPeer? TryStart(string script, IReadOnlyList<string> arguments)
    {
        var python = Environment.GetEnvironmentVariable("PYTHON") ?? "/usr/bin/python3";
        var path = FindScript(script);
        if (path is null || !File.Exists(python))
        {
            return null;
        }

        var start = new ProcessStartInfo(python, [path, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OPENBLAS_NUM_THREADS"] = "2";

        // oneDNN's ISA limit is ours (see README, Convolution check), not the peer's: PyTorch runs with its own
        // default kernels unless PEER_ONEDNN_MAX_CPU_ISA names a limit for it.
        start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        if (Environment.GetEnvironmentVariable("PEER_ONEDNN_MAX_CPU_ISA") is { Length: > 0 } peerIsa)
        {
            start.Environment["ONEDNN_MAX_CPU_ISA"] = peerIsa;
        }

        var process = Process.Start(start)!;
        var ready = process.StandardOutput.ReadLine();
        if (ready is null || !ready.Contains("ready", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"PyTorch peer not available: {process.StandardError.ReadToEnd().Trim()}");
            process.Dispose();
            return null;
        }

        return new PyTorchPeer(process) { ReadyLine = ready };
    }

    /// <summary>Sends one command line to the peer and returns the line it answers with.</summary>
    public string Request(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"The PyTorch peer ended early: {_process.StandardError.ReadToEnd().Trim()}");
    }

    /// <summary>Asks cnn.py for one inference pass over the test set: untimed (a warm-up) unless <paramref name="timed"/>; returns its images per second when timed.</summary>
    public double? Infer(bool timed)
    {
        using var answer = JsonDocument.Parse(Request(timed ? "infer" : "warmup"));
        return timed ? answer.RootElement.GetProperty("inferenceImagesPerSecond").GetDouble() : null;
    }

    /// <summary>Runs one epoch of the peer and returns its seconds.</summary>
    public double Epoch()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The PyTorch peer ended early.");
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("seconds").GetDouble();
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        var rest = _process.StandardOutput.ReadToEnd();
        if (rest.Contains("\"torch\"", StringComparison.Ordinal))
        {
            using var json = JsonDocument.Parse(rest.Trim().Split('\n')[^1]);
            Version = json.RootElement.TryGetProperty("torch", out var v) ? v.GetString() ?? string.Empty : string.Empty;
        }

        _process.WaitForExit();
        _process.Dispose();
    }

    private static string? FindScript(string script)
    {
        // Upwards from the bench's binaries, then from the working directory (a bench built with -o elsewhere).
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "bench", "pytorch", script);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }
}

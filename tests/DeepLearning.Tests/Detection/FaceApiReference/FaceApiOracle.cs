using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace DeepLearning.Tests.Detection.FaceApiReference;

/// <summary>
/// Finds <c>@vladmandic/face-api@1.7.15</c> and pure-JS <c>@tensorflow/tfjs</c> installed by npm (a
/// <c>node_modules</c> folder named by <c>DL_FACEAPI_MODULES</c>, default <c>~/.cache/deeplearning/faceapi/node_modules</c>,
/// as .ci/run installs them) and runs <c>reference.cjs</c>, the package's own detector, under Node.
/// </summary>
internal sealed class FaceApiOracle
{
    private const string ModulesVariable = "DL_FACEAPI_MODULES";
    private const string ExpectVariable = "DL_EXPECT_FACEAPI";

    private FaceApiOracle(string modules) => Modules = modules;

    /// <summary>The <c>node_modules</c> folder.</summary>
    public string Modules { get; }

    /// <summary>The package's folder.</summary>
    public string Package => Path.Combine(Modules, "@vladmandic", "face-api");

    /// <summary>The TinyFaceDetector's weight manifest.</summary>
    public string Manifest => Path.Combine(Package, "model", "tiny_face_detector_model-weights_manifest.json");

    /// <summary>The package's demo photographs.</summary>
    public IReadOnlyList<string> DemoImages => [.. Directory.GetFiles(Path.Combine(Package, "demo"), "*.jpg").Order(StringComparer.Ordinal)];

    /// <summary>The installed package, or <see langword="null"/> (with a note) when it is absent; fails when CI says it must be there.</summary>
    /// <param name="output">Where the note goes.</param>
    /// <param name="needNode">Whether Node must be on the PATH too.</param>
    public static FaceApiOracle? Find(ITestOutputHelper output, bool needNode = true)
    {
        var modules = Environment.GetEnvironmentVariable(ModulesVariable)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "deeplearning", "faceapi", "node_modules");
        var oracle = new FaceApiOracle(modules);
        string? missing = !File.Exists(oracle.Manifest) ? $"no face-api package under {modules} (set {ModulesVariable})"
            : needNode && !File.Exists(Path.Combine(modules, "@tensorflow", "tfjs", "package.json")) ? $"no @tensorflow/tfjs under {modules}"
            : needNode && NodePath() is null ? "no node on the PATH"
            : null;
        if (missing is null)
        {
            return oracle;
        }

        Assert.False(Environment.GetEnvironmentVariable(ExpectVariable) == "1", $"{ExpectVariable}=1 but {missing}.");
        output.WriteLine($"skipped: {missing}.");
        return null;
    }

    /// <summary>Runs face-api on images (RGB floats [H, W, 3] in [0, 255]), one result per image.</summary>
    /// <param name="directory">Where the pixel files and the result are written.</param>
    /// <param name="images">Pixels, height, width of each image.</param>
    public IReadOnlyList<Result> Run(string directory, IReadOnlyList<(float[] Pixels, int Height, int Width)> images)
    {
        var arguments = new List<string> { Path.Combine(AppContext.BaseDirectory, "Detection", "FaceApiReference", "reference.cjs"), Modules, Path.Combine(directory, "faceapi.json") };
        for (var i = 0; i < images.Count; i++)
        {
            var file = Path.Combine(directory, $"pixels{i}.bin");
            File.WriteAllBytes(file, System.Runtime.InteropServices.MemoryMarshal.AsBytes(images[i].Pixels.AsSpan()).ToArray());
            arguments.Add($"{file}:{images[i].Height}:{images[i].Width}");
        }

        var start = new ProcessStartInfo(NodePath()!) { RedirectStandardError = true, RedirectStandardOutput = true };
        arguments.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"node reference.cjs failed: {errors.Result}");
        return JsonSerializer.Deserialize<Result[]>(File.ReadAllText(arguments[2]), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    private static string? NodePath() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "node"))
        .FirstOrDefault(File.Exists);

    /// <summary>face-api's output for one image: the raw grid (NHWC, row-major) and the faces.</summary>
    public sealed record Result(string Tfjs, string Backend, int[] RawShape, float[] Raw, Face[] Faces);

    /// <summary>One face in face-api's terms (top-left corner, size, original pixels).</summary>
    public sealed record Face(double Score, double X, double Y, double Width, double Height);
}

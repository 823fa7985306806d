using System.Diagnostics;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Detection.Faces;
using DeepLearning.Transforms.Inputs.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// Face detector latency on face-api's demo photographs (the package from <c>DL_FACEAPI_MODULES</c> or
/// <c>~/.cache/deeplearning/faceapi/node_modules</c>, as .ci/run installs it), 2 threads. Per image: 3 warm-up
/// calls, then 20 repetitions, each timing <c>Detect(MLImage)</c> end to end and, separately, its three parts
/// (pixels → RGB bytes → padded, resized, normalised square; the network; decode + NMS + boxes to pixels); one JSON line
/// per image with the median of each and every repetition's end-to-end time. Then the transform
/// (<c>LoadImages</c> + <c>DetectFaces</c>, one batch of six) over the six images, 1 warm-up and 5 timed passes:
/// images per second.
/// </summary>
internal static class FaceBench
{
    private const int WarmUp = 3;
    private const int Timed = 20;
    private const int TransformPasses = 5;

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        var package = Path.Combine(
            Environment.GetEnvironmentVariable("DL_FACEAPI_MODULES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "deeplearning", "faceapi", "node_modules"),
            "@vladmandic", "face-api");
        var manifest = Path.Combine(package, "model", "tiny_face_detector_model-weights_manifest.json");
        if (!File.Exists(manifest))
        {
            Console.Error.WriteLine($"No face-api package at {package} (run .ci/run or set DL_FACEAPI_MODULES).");
            return 1;
        }

        set_num_threads(CnnBench.Threads);
        var files = Directory.GetFiles(Path.Combine(package, "demo"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        using var detector = FaceDetector.Load(manifest);
        foreach (var file in files)
        {
            using var image = MLImage.CreateFromFile(file);
            var (total, prepare, network, decode) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            var faces = 0;
            for (var i = 0; i < WarmUp + Timed; i++)
            {
                var watch = Stopwatch.StartNew();
                faces = detector.Detect(image).Count;
                var end = watch.Elapsed.TotalMilliseconds;
                using var scope = NewDisposeScope();
                watch.Restart();
                var square = detector.Prepare(ImagePixels.ToRgbBytes(image));
                var prepared = watch.Elapsed.TotalMilliseconds;
                var raw = detector.Run(square);
                var ran = watch.Elapsed.TotalMilliseconds;
                detector.Decode(raw, detector.SquareToPixels(image.Width, image.Height).unsqueeze(0));
                var decoded = watch.Elapsed.TotalMilliseconds;
                if (i >= WarmUp)
                {
                    total.Add(end);
                    prepare.Add(prepared);
                    network.Add(ran - prepared);
                    decode.Add(decoded - ran);
                }
            }

            Console.WriteLine($"{{\"bench\":\"face\",\"image\":\"{Path.GetFileName(file)}\",\"width\":{image.Width},\"height\":{image.Height},\"faces\":{faces},\"medianMs\":{Median(total):F2},\"prepareMs\":{Median(prepare):F2},\"networkMs\":{Median(network):F2},\"decodeNmsMs\":{Median(decode):F2},\"ms\":[{string.Join(',', total.Select(t => t.ToString("F2")))}]}}");
        }

        var ml = new MLContext(seed: 1);
        var paths = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f }).ToList());
        var model = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.DetectFaces(manifest)).Fit(paths);
        var seconds = new List<double>();
        for (var pass = 0; pass <= TransformPasses; pass++)
        {
            var watch = Stopwatch.StartNew();
            var found = model.Transform(paths).GetColumn<float[]>(FaceDetectionColumns.Score).Sum(s => s.Length);
            if (pass > 0)
            {
                seconds.Add(watch.Elapsed.TotalSeconds);
            }

            if (pass == TransformPasses)
            {
                Console.WriteLine($"{{\"bench\":\"face-transform\",\"images\":{files.Count},\"faces\":{found},\"imagesPerSecond\":{files.Count / Median(seconds):F2},\"passSeconds\":[{string.Join(',', seconds.Select(s => s.ToString("F3")))}]}}");
            }
        }

        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

using System.Diagnostics;
using DeepLearning.Samples.FaceDetection;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Detection;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

// Detects the faces in face-api's demo photographs with the package's own pretrained weights and
// writes each photograph with its boxes as a PNG.
// usage: FaceDetection [face-api package folder] [output folder]
// The package comes from `npm pack @vladmandic/face-api@1.7.15` (unpack it) or from .ci/run, which
// installs it under ~/.cache/deeplearning/faceapi/node_modules/@vladmandic/face-api.
const int Runs = 7;
var package = args.Length > 0 ? args[0] : Path.Combine(
    Environment.GetEnvironmentVariable("DL_FACEAPI_MODULES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "deeplearning", "faceapi", "node_modules"),
    "@vladmandic", "face-api");
var output = Path.GetFullPath(args.Length > 1 ? args[1] : "face-detection-output");
var manifest = Path.Combine(package, "model", "tiny_face_detector_model-weights_manifest.json");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"No face-api package at {package}: run `npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz` and pass the 'package' folder.");
    return 1;
}

set_num_threads(2);
Directory.CreateDirectory(output);
using var detector = FaceDetector.Load(manifest);
Console.WriteLine($"image          size       faces  median ms ({Runs} runs, {get_num_threads()} threads)  scores");
var files = Directory.GetFiles(Path.Combine(package, "demo"), "*.jpg").Order(StringComparer.Ordinal).ToList();
foreach (var file in files)
{
    using var image = MLImage.CreateFromFile(file);
    var faces = detector.Detect(image);
    var times = new double[Runs];
    for (var run = 0; run < Runs; run++)
    {
        var clock = Stopwatch.StartNew();
        detector.Detect(image);
        times[run] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    var png = Path.Combine(output, Path.ChangeExtension(Path.GetFileName(file), ".png"));
    DetectionPicture.Write(file, image.Width, image.Height, faces, png);
    Console.WriteLine($"{Path.GetFileName(file),-14} {image.Width}x{image.Height,-5} {faces.Count,5}  {times[Runs / 2],9:F1}                      {string.Join(' ', faces.Select(f => f.Score.ToString("F2")))}");
}

Console.WriteLine($"pictures with boxes: {output}");

// The same detector in an ML.NET pipeline: one row per photograph, the faces in ML.NET's object-detection
// columns (PredictedLabel, Score, PredictedBoundingBoxes: x1, y1, x2, y2 per face), the weights saved in the zip.
var ml = new MLContext();
var photos = ml.Data.LoadFromEnumerable(files.Select(f => new Photo(f)));
var model = ml.Transforms.LoadImages("Image", null, nameof(Photo.Path)).Append(ml.Transforms.DetectFaces(manifest)).Fit(photos);
ml.Model.Save(model, photos.Schema, Path.Combine(output, "face-detector.zip"));
var scored = model.Transform(photos);
foreach (var (file, boxes) in files.Zip(scored.GetColumn<float[]>("PredictedBoundingBoxes")))
{
    Console.WriteLine($"{Path.GetFileName(file),-14} pipeline: {boxes.Length / 4} faces, first box {string.Join(", ", boxes.Take(4).Select(v => v.ToString("F0")))}");
}

return 0;

internal sealed record Photo(string Path);

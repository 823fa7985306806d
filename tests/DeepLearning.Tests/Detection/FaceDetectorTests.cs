using DeepLearning.Tests.Detection.FaceApiReference;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Inputs.Images;
using Microsoft.ML.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>
/// face-api's pretrained TinyFaceDetector, loaded from the npm package, against the package's own
/// JavaScript under Node (pure-JS tfjs, cpu backend) on the same pixels: raw grid and final boxes.
/// </summary>
public sealed class FaceDetectorTests(ITestOutputHelper output) : TempDirectoryTest
{
    [Fact]
    public void RawOutputEqualsFaceApiOnTheSameInput()
    {
        var oracle = FaceApiOracle.Find(output);
        if (oracle is null)
        {
            return;
        }

        using var detector = FaceDetector.Load(oracle.Manifest);
        var random = new Random(3);

        // A portrait and a landscape image: padding at the bottom and at the right, and a resize.
        (int Height, int Width)[] sizes = [(300, 200), (150, 420)];
        var images = sizes.Select(s => (Pixels: Enumerable.Range(0, s.Height * s.Width * 3).Select(_ => (float)(random.NextDouble() * 255)).ToArray(), s.Height, s.Width)).ToList();
        var expected = oracle.Run(Dir, images);
        for (var i = 0; i < images.Count; i++)
        {
            using var scope = NewDisposeScope();
            var (pixels, height, width) = images[i];
            var ours = detector.Forward(tensor(pixels).view(1, height, width, 3).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).contiguous();
            Assert.Equal(expected[i].RawShape.Select(d => (long)d), ours.shape);
            var diff = ours.sub(tensor(expected[i].Raw).view(ours.shape)).abs().max().item<float>();
            var spread = tensor(expected[i].Raw).std().item<float>();
            output.WriteLine($"{height}x{width}: max |Δ| {diff:E2} (values' std {spread:F2}; tfjs {expected[i].Tfjs} {expected[i].Backend})");
            Assert.True(spread > 0.5, "the reference output is too flat to test anything");
            Assert.InRange(diff, 0, 1e-3);
        }
    }

    [Fact]
    public void FacesEqualFaceApisOnTheDemoImages()
    {
        var oracle = FaceApiOracle.Find(output);
        if (oracle is null)
        {
            return;
        }

        using var detector = FaceDetector.Load(oracle.Manifest);
        var files = oracle.DemoImages;
        Assert.NotEmpty(files);
        var images = new List<(float[] Pixels, int Height, int Width)>();
        var ours = new List<IReadOnlyList<DetectedFace>>();
        foreach (var file in files)
        {
            using var image = MLImage.CreateFromFile(file);
            using var scope = NewDisposeScope();
            var rgb = ImagePixels.ToRgbTensor(image);
            images.Add((rgb.permute(0, 2, 3, 1).contiguous().data<float>().ToArray(), image.Height, image.Width));
            ours.Add(detector.Detect(image));
        }

        var expected = oracle.Run(Dir, images);
        var total = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var theirs = expected[i].Faces;
            var worst = theirs.Zip(ours[i], (t, o) => new[] { o.Left - t.X, o.Top - t.Y, o.Right - (t.X + t.Width), o.Bottom - (t.Y + t.Height) }.Max(Math.Abs)).DefaultIfEmpty().Max();
            output.WriteLine($"{Path.GetFileName(files[i])} {images[i].Width}x{images[i].Height}: face-api {theirs.Length} faces, ours {ours[i].Count}, max |Δ| {worst:E2} px");
            Assert.Equal(theirs.Length, ours[i].Count);
            foreach (var (t, o) in theirs.Zip(ours[i]))
            {
                Assert.InRange(o.Score - t.Score, -1e-3, 1e-3);
                Assert.InRange(worst, 0, 1.0);
            }

            total += theirs.Length;
        }

        Assert.True(total >= files.Count, $"face-api found only {total} faces in {files.Count} photographs of people");
    }

    [Fact]
    public void LoadsEveryWeightOfThePackageAndFindsFaces()
    {
        var oracle = FaceApiOracle.Find(output, needNode: false);
        if (oracle is null)
        {
            return;
        }

        using var detector = FaceDetector.Load(oracle.Manifest);
        using var image = MLImage.CreateFromFile(oracle.DemoImages[0]);
        var faces = detector.Detect(image);
        Assert.NotEmpty(faces);
        Assert.All(faces, f => Assert.True(f.Width > 10 && f.Height > 10 && f.Score > 0.5, f.ToString()));
        Assert.Equal(faces.OrderByDescending(f => f.Score), faces);

        // Another model's manifest of the same package does not fit the network.
        var other = Path.Combine(oracle.Package, "model", "face_landmark_68_tiny_model-weights_manifest.json");
        var error = Assert.Throws<InvalidDataException>(() => FaceDetector.Load(other));
        Assert.Contains("conv0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputsGetClearExceptions()
    {
        var missing = Path.Combine(Dir, "nowhere", "tiny_face_detector_model-weights_manifest.json");
        var notFound = Assert.Throws<FileNotFoundException>(() => FaceDetector.Load(missing));
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);

        var threshold = Assert.Throws<ArgumentOutOfRangeException>(() => FaceDetector.Load(missing, new FaceDetectorOptions { ScoreThreshold = 1 }));
        Assert.Contains(nameof(FaceDetectorOptions.ScoreThreshold), threshold.Message, StringComparison.Ordinal);
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => FaceDetector.Load(missing, new FaceDetectorOptions { InputSize = 100 }));
        Assert.Contains("InputSize", size.Message, StringComparison.Ordinal);

        using var detector = FaceDetector.Create(new FaceDetectorOptions { InputSize = 64 });
        using var scope = NewDisposeScope();
        Assert.Contains("[1, 4, 20, 20]", Assert.Throws<ArgumentException>(() => detector.Detect(rand(1, 4, 20, 20))).Message, StringComparison.Ordinal);
        Assert.Contains("[3, 20, 20]", Assert.Throws<ArgumentException>(() => detector.Detect(rand(3, 20, 20))).Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3, 0, 20]", Assert.Throws<ArgumentException>(() => detector.Detect(rand(1, 3, 0, 20))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => detector.Detect(ones(1, 3, 20, 20, ScalarType.Byte)));
        Assert.Equal(2, detector.Detect(rand(2, 3, 50, 30) * 255).Count);
    }
}

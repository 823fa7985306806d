using System.IO.Compression;
using DeepLearning.Tests.Detection.FaceApiReference;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Detection.Faces;
using DeepLearning.Transforms.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;
using Xunit.Abstractions;

namespace DeepLearning.Tests.Detection;

/// <summary>
/// The face detector as an ML.NET transform: per row the same faces as <see cref="FaceDetector.Detect(MLImage)"/>
/// (images of different sizes batched together), before and after save/load, in ML.NET's object-detection columns.
/// </summary>
public sealed class FaceDetectionTransformTests(ITestOutputHelper output) : TempDirectoryTest
{
    // Random weights at a small input size: many candidates above a low threshold, so NMS and the batching matter.
    private static readonly FaceDetectorOptions Small = new() { InputSize = 64, ScoreThreshold = 0.05, IouThreshold = 0.4 };

    private sealed class BytesRow
    {
        public byte[] Image { get; set; } = [];
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    private sealed class FacesRow
    {
        public uint[] PredictedLabel { get; set; } = [];

        public float[] Score { get; set; } = [];

        public float[] PredictedBoundingBoxes { get; set; } = [];
    }

    [Fact]
    public void RowsGetTheFacesDetectFindsBeforeAndAfterSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        (int Width, int Height)[] sizes = [(40, 30), (25, 70), (64, 64), (90, 20), (33, 33)];
        var images = sizes.Select(s => RandomPng(random, s.Width, s.Height)).ToList();
        var data = ml.Data.LoadFromEnumerable(images.Select(png => new BytesRow { Image = png }).ToList());
        using var transformer = new FaceDetectionTransformer(FaceDetector.Create(Small), "Image") { ScoringBatchSize = 2 };
        var expected = images.Select(png =>
        {
            using var image = MLImage.CreateFromStream(new MemoryStream(png));
            return transformer.Detector.Detect(image);
        }).ToList();
        Assert.True(expected.Sum(f => f.Count) >= sizes.Length, "too few faces to compare anything");
        AssertRows(expected, transformer.Transform(data));

        var path = Path.Combine(Dir, "faces.zip");
        ml.Model.Save(transformer, data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        Assert.IsType<FaceDetectionTransformer>(loaded);
        AssertRows(expected, loaded.Transform(data));
    }

    [Fact]
    public void APredictionEngineGetsTheFacesOfEachRowBeforeAndAfterSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(9);
        (int Width, int Height)[] sizes = [(40, 30), (25, 70), (64, 64), (33, 33)];
        var images = sizes.Select(s => RandomPng(random, s.Width, s.Height)).ToList();
        var data = ml.Data.LoadFromEnumerable(images.Select(png => new BytesRow { Image = png }).ToList());
        using var transformer = new FaceDetectionTransformer(FaceDetector.Create(Small), "Image");
        Assert.True(transformer.IsRowToRowMapper);
        var expected = images.Select(png =>
        {
            using var image = MLImage.CreateFromStream(new MemoryStream(png));
            return transformer.Detector.Detect(image);
        }).ToList();
        Assert.True(expected.Sum(f => f.Count) >= sizes.Length, "too few faces to compare anything");

        var path = Path.Combine(Dir, "faces.zip");
        ml.Model.Save(transformer, data.Schema, path);
        foreach (var model in new[] { transformer, ml.Model.Load(path, out _) })
        {
            using var engine = ml.Model.CreatePredictionEngine<BytesRow, FacesRow>(model);

            // Each image in turn, then the first again: every prediction is its own image's faces.
            var predictions = images.Append(images[0]).Select(png => engine.Predict(new BytesRow { Image = png })).ToList();
            AssertFaces([.. expected, expected[0]], [.. predictions.Select(p => p.PredictedLabel)], [.. predictions.Select(p => p.Score)], [.. predictions.Select(p => p.PredictedBoundingBoxes)]);
        }
    }

    [Fact]
    public void DemoImagesGetTheFacesDetectFinds()
    {
        var oracle = FaceApiOracle.Find(output, needNode: false);
        if (oracle is null)
        {
            return;
        }

        var ml = new MLContext(seed: 1);
        var files = oracle.DemoImages;
        var paths = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f }).ToList());
        var pipeline = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.DetectFaces(oracle.Manifest));
        var model = pipeline.Fit(paths);
        using var detector = FaceDetector.Load(oracle.Manifest);
        var expected = files.Select(f =>
        {
            using var image = MLImage.CreateFromFile(f);
            return detector.Detect(image);
        }).ToList();
        Assert.True(expected.Sum(f => f.Count) >= files.Count);
        AssertRows(expected, model.Transform(paths));

        // The saved model needs no face-api file; a Text column of paths is read directly too.
        var path = Path.Combine(Dir, "faces.zip");
        ml.Model.Save(model, paths.Schema, path);
        AssertRows(expected, ml.Model.Load(path, out _).Transform(paths));
        var two = ml.Data.TakeRows(paths, 2);
        using var direct = ml.Transforms.DetectFaces(oracle.Manifest, "Path").Fit(two);
        AssertRows([.. expected.Take(2)], direct.Transform(two));

        // A PredictionEngine over the whole pipeline (LoadImages, then the detector), one photograph per call.
        using var engine = ml.Model.CreatePredictionEngine<PathRow, FacesRow>(model);
        var predictions = files.Select(f => engine.Predict(new PathRow { Path = f })).ToList();
        AssertFaces(expected, [.. predictions.Select(p => p.PredictedLabel)], [.. predictions.Select(p => p.Score)], [.. predictions.Select(p => p.PredictedBoundingBoxes)]);
    }

    [Fact]
    public void ColumnsFollowMlNetsObjectDetectionConvention()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BytesRow { Image = RandomPng(new Random(1), 20, 10) } });
        using var transformer = new FaceDetectionTransformer(FaceDetector.Create(Small), "Image");
        var schema = transformer.GetOutputSchema(data.Schema);
        var label = Assert.IsType<VectorDataViewType>(schema[FaceDetectionColumns.PredictedLabel].Type);
        Assert.False(label.IsKnownSize);
        Assert.Equal(1UL, Assert.IsType<KeyDataViewType>(label.ItemType).Count);
        VBuffer<ReadOnlyMemory<char>> keys = default;
        schema[FaceDetectionColumns.PredictedLabel].GetKeyValues(ref keys);
        Assert.Equal(["face"], keys.DenseValues().Select(k => k.ToString()));
        foreach (var name in new[] { FaceDetectionColumns.Score, FaceDetectionColumns.PredictedBoundingBoxes })
        {
            var type = Assert.IsType<VectorDataViewType>(schema[name].Type);
            Assert.Equal(NumberDataViewType.Single, type.ItemType);
            Assert.False(type.IsKnownSize);
        }

        // The estimator's shape says the same.
        var shape = ml.Transforms.DetectFaces("unused.json", "Image").GetOutputSchema(DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(data.Schema));
        var key = shape.Single(c => c.Name == FaceDetectionColumns.PredictedLabel);
        Assert.True(key.IsKey && key.Kind == SchemaShape.Column.VectorKind.VariableVector);
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, shape.Single(c => c.Name == FaceDetectionColumns.PredictedBoundingBoxes).Kind);

        var onnx = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(transformer, data, new MemoryStream()));
        Assert.Contains("ONNX", onnx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputsGetClearExceptions()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BytesRow { Image = [1, 2, 3, 4, 5, 6, 7, 8, 9] } });
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DetectFaces("m.json", "Photo").Fit(data));
        Assert.Contains("'Photo'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DetectFaces("m.json", "Photo").GetOutputSchema(DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(data.Schema)));
        var numbers = ml.Data.LoadFromEnumerable(new[] { new { Image = 1f } });
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DetectFaces("m.json").Fit(numbers));
        Assert.Contains("'Image' is Single", wrongType.Message, StringComparison.Ordinal);
        var wrongShape = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DetectFaces("m.json").GetOutputSchema(DeepLearning.Transforms.MlNet.MlNetEnvironment.ShapeOf(numbers.Schema)));
        Assert.Contains("'Image' is Single", wrongShape.Message, StringComparison.Ordinal);
        var manifest = Path.Combine(Dir, "nowhere.json");
        Assert.Contains(manifest, Assert.Throws<FileNotFoundException>(() => ml.Transforms.DetectFaces(manifest).Fit(data)).Message, StringComparison.Ordinal);
        Assert.Contains("manifestPath", Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.DetectFaces(" ")).Message, StringComparison.Ordinal);
        var threshold = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.DetectFaces(manifest, options: new FaceDetectorOptions { ScoreThreshold = 1 }));
        Assert.Contains("ScoreThreshold", threshold.Message, StringComparison.Ordinal);

        // Undecodable bytes: the error names the column, the row and the bytes.
        using var transformer = new FaceDetectionTransformer(FaceDetector.Create(Small), "Image");
        var scored = transformer.Transform(data);
        var undecodable = Assert.Throws<InvalidOperationException>(() => scored.GetColumn<float[]>(FaceDetectionColumns.Score).ToList());
        Assert.Contains("Image column 'Image', row 0", undecodable.Message, StringComparison.Ordinal);
        Assert.Contains("0x0102030405060708", undecodable.Message, StringComparison.Ordinal);

        // The same through a PredictionEngine, and an input class without the image column.
        using var engine = ml.Model.CreatePredictionEngine<BytesRow, FacesRow>(transformer, new PredictionEngineOptions { OwnsTransformer = false });
        var rowError = Assert.Throws<InvalidOperationException>(() => engine.Predict(new BytesRow { Image = [1, 2, 3, 4, 5, 6, 7, 8, 9] }));
        Assert.Contains("Image column 'Image'", rowError.Message, StringComparison.Ordinal);
        Assert.Contains("0x0102030405060708", rowError.Message, StringComparison.Ordinal);
        var noColumn = Assert.ThrowsAny<ArgumentException>(() => ml.Model.CreatePredictionEngine<PathRow, FacesRow>(transformer, new PredictionEngineOptions { OwnsTransformer = false }));
        Assert.Contains("'Image'", noColumn.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.ScoringBatchSize = 0);
    }

    [Fact]
    public void ATamperedModelIsRefusedNamingTheEntry()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BytesRow { Image = RandomPng(new Random(2), 8, 8) } });
        using var transformer = new FaceDetectionTransformer(FaceDetector.Create(Small), "Image");
        var path = Path.Combine(Dir, "faces.zip");
        ml.Model.Save(transformer, data.Schema, path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("weights.bin", StringComparison.Ordinal));
            using var stream = entry.Open();
            stream.Position = stream.Length / 2;
            var value = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(value ^ 1));
        }

        var error = Assert.Throws<CorruptModelException>(() => ml.Model.Load(path, out _));
        Assert.Equal("weights.bin", error.Entry);
        Assert.Contains("'weights.bin'", error.Message, StringComparison.Ordinal);
    }

    private static void AssertRows(IReadOnlyList<IReadOnlyList<DetectedFace>> expected, IDataView scored)
        => AssertFaces(
            expected,
            [.. scored.GetColumn<uint[]>(FaceDetectionColumns.PredictedLabel)],
            [.. scored.GetColumn<float[]>(FaceDetectionColumns.Score)],
            [.. scored.GetColumn<float[]>(FaceDetectionColumns.PredictedBoundingBoxes)]);

    private static void AssertFaces(IReadOnlyList<IReadOnlyList<DetectedFace>> expected, IReadOnlyList<uint[]> labels, IReadOnlyList<float[]> scores, IReadOnlyList<float[]> boxes)
    {
        Assert.Equal(expected.Count, boxes.Count);
        for (var row = 0; row < expected.Count; row++)
        {
            var faces = expected[row];
            Assert.Equal(faces.Count, scores[row].Length);
            Assert.Equal(4 * faces.Count, boxes[row].Length);
            Assert.All(labels[row], key => Assert.Equal(1u, key));
            Assert.Equal(faces.Count, labels[row].Length);
            for (var i = 0; i < faces.Count; i++)
            {
                float[] corners = [faces[i].Left, faces[i].Top, faces[i].Right, faces[i].Bottom];
                Assert.InRange(scores[row][i] - faces[i].Score, -1e-4, 1e-4);
                Assert.All(corners.Zip(boxes[row].Skip(4 * i)), pair => Assert.InRange(pair.Second - pair.First, -1e-4 * Math.Max(1, Math.Abs(pair.First)), 1e-4 * Math.Max(1, Math.Abs(pair.First))));
            }
        }
    }

    private static byte[] RandomPng(Random random, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

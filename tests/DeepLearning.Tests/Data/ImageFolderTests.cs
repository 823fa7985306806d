using DeepLearning.Tests.Inputs;
using DeepLearning.Tests.Training;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Data;

/// <summary>
/// <c>LoadFromImageFolder</c> lists one row per image with its class subfolder as label, shuffles
/// on request, names a bad folder, and feeds the CNN trainer straight from the paths, streamed.
/// </summary>
public sealed class ImageFolderTests : TempDirectoryTest
{

    [Fact]
    public void ListsImagesOfEachClassSubfolderInOrderWithFullPaths()
    {
        Touch("b/2.png", "b/1.JPG", "a/deep/x.jpeg", "a/notes.txt", "loose.png", "c/readme.md");
        var data = new MLContext().Data.LoadFromImageFolder(Dir);
        var paths = data.GetColumn<string>("ImagePath").ToArray();
        var labels = data.GetColumn<string>("Label").ToArray();
        Assert.Equal(["a", "b", "b"], labels);
        Assert.Equal([Full("a/deep/x.jpeg"), Full("b/1.JPG"), Full("b/2.png")], paths);
        Assert.True(data.CanShuffle);
        Assert.Equal(3, data.GetRowCount());
    }

    [Fact]
    public void AShufflingCursorVisitsAPermutation()
    {
        Touch([.. Enumerable.Range(0, 40).Select(i => $"{(char)('a' + (i % 4))}/{i:D2}.png")]);
        var data = new MLContext().Data.LoadFromImageFolder(Dir, "Path", "Class");
        var ordered = data.GetColumn<string>("Path").ToArray();
        var shuffled = new List<string>();
        using (var cursor = data.GetRowCursor(data.Schema, new Random(1)))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(data.Schema["Path"]);
            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                shuffled.Add(value.ToString());
            }
        }

        Assert.NotEqual(ordered, shuffled);
        Assert.Equal(ordered.Order(StringComparer.Ordinal), shuffled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BadFoldersAndNamesAreRefused()
    {
        var ml = new MLContext();
        var missing = Path.Combine(Dir, "missing");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ml.Data.LoadFromImageFolder(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);

        Touch("loose.png", "a/readme.txt");
        var empty = Assert.Throws<ArgumentException>("directory", () => ml.Data.LoadFromImageFolder(Dir));
        Assert.Contains(Dir, empty.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("labelColumnName", () => ml.Data.LoadFromImageFolder(Dir, "X", "X"));
        Assert.Throws<ArgumentException>("imagePathColumnName", () => ml.Data.LoadFromImageFolder(Dir, " "));
    }

    [Fact]
    public void TheCnnTrainerLearnsFromTheFolderStreamingTheFiles()
    {
        WriteBars(Path.Combine(Dir, "train"), 120, seed: 1);
        WriteBars(Path.Combine(Dir, "test"), 40, seed: 2);

        var ml = new MLContext(seed: 1);
        var options = new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = "ImagePath",
            Image = new ImageInputOptions { Channels = 1, Width = BarImages.Size, Height = BarImages.Size },
            Architecture = new TinyConvSpec(),
            DataSource = BatchSourceMode.Streaming,
            Epochs = 25,
            BatchSize = 8,
            LearningRate = 0.03,
            NumberOfThreads = 1,
        };
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options))
            .Fit(ml.Data.LoadFromImageFolder(Path.Combine(Dir, "train")));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromImageFolder(Path.Combine(Dir, "test"))));
        Assert.True(metrics.MicroAccuracy > 0.8, $"accuracy {metrics.MicroAccuracy}");
    }

    [Fact]
    public void TheReadmeExampleRunsOnATinyFolder()
    {
        // The README's image-classification snippet, shrunk: same calls and options, tiny sizes.
        WriteBars(Dir, 48, seed: 1);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromImageFolder(Dir);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2);
        var progress = new RecordingProgress();
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
            {
                FeatureColumnName = "ImagePath",
                Image = new ImageInputOptions { Width = 16, Height = 16 },
                Architecture = new ResNetSpec { Variant = ResNetVariant.ResNet20, WidthMultiplier = 0.25 },
                Augmentation = new AugmentationPipeline([new RandomCrop { Padding = 4 }, new Flip()], seed: 1),
                NormalizeFeatures = true,
                Epochs = 2,
                LearningRateSchedule = new CosineAnnealingSchedule(),
                ValidationFraction = 0.1,
                EarlyStoppingPatience = 5,
                Progress = progress,
                NumberOfThreads = 1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.Equal(2, progress.Reports.Count);
        Assert.All(model.Transform(split.TestSet).GetColumn<string>("PredictedLabel"), p => Assert.Contains(p, new[] { "h", "v" }));
    }

    private static void WriteBars(string root, int count, int seed)
    {
        var images = Directory.CreateDirectory(Path.Combine(root, "all")).FullName;
        foreach (var row in BarImages.Write(images, count, seed))
        {
            var classFolder = Directory.CreateDirectory(Path.Combine(root, row.Label)).FullName;
            File.Move(Path.Combine(images, row.Path), Path.Combine(classFolder, row.Path));
        }

        Directory.Delete(images);
    }

    private void Touch(params string[] files)
    {
        foreach (var file in files)
        {
            var path = Full(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [0]);
        }
    }

    private string Full(string relative) => Path.Combine(Dir, relative.Replace('/', Path.DirectorySeparatorChar));
}

using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeepLearning.Tests.Inputs.BarImages;

namespace DeepLearning.Tests.Inputs;

/// <summary>
/// The tiny convolutional network learns bar orientation from each kind of features column; it must
/// see <c>[B, C, H, W]</c> with the same <c>C, H, W</c> in Fit and in Transform, beat chance on
/// unseen images, and score identically after save and load.
/// </summary>
public sealed class ImageTrainingTests : TempDirectoryTest
{
    private readonly List<Row> _train;
    private readonly List<Row> _test;

    public ImageTrainingTests()
    {
        _train = Write(Dir, 64, seed: 1);
        _test = Write(Dir, 40, seed: 2);
    }

    [Fact]
    public void VectorColumnReshapedByFeatureShape()
    {
        var ml = new MLContext(seed: 1);
        var options = Options("Pixels");
        options.FeatureShape = [1, Size, Size];
        Check(ml, ml.Transforms.CopyColumns("Pixels", "Pixels"), options, Vectors(ml, _train, [Size * Size]), Vectors(ml, _test, [Size * Size]), [1, Size, Size]);
    }

    [Fact]
    public void VectorColumnShapedByItsDimensions()
    {
        var ml = new MLContext(seed: 1);
        Check(ml, ml.Transforms.CopyColumns("Pixels", "Pixels"), Options("Pixels"), Vectors(ml, _train, [1, Size, Size]), Vectors(ml, _test, [1, Size, Size]), [1, Size, Size]);
    }

    [Fact]
    public void MLImageColumnFromLoadImages()
    {
        var ml = new MLContext(seed: 1);
        var options = Options("Image", new ImageInputOptions { Width = Size, Height = Size, Channels = 3, Resize = ImageResizePolicy.None });
        Check(ml, ml.Transforms.LoadImages("Image", Dir, nameof(Row.Path)), options, Load(ml, _train), Load(ml, _test), [3, Size, Size]);
    }

    [Fact]
    public void EncodedBytesColumnResizedToGrey()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(nameof(Row.Bytes), new ImageInputOptions { Width = 20, Height = 20, Channels = 1, Resize = ImageResizePolicy.Stretch });
        Check(ml, ml.Transforms.CopyColumns("Bytes", "Bytes"), options, Load(ml, _train), Load(ml, _test), [1, 20, 20]);
    }

    [Fact]
    public void RawImageBytesColumnFromLoadRawImageBytes()
    {
        var ml = new MLContext(seed: 1);
        var options = Options("Raw", new ImageInputOptions { Width = Size, Height = Size, ChannelOrder = ImageChannelOrder.Bgr, Resize = ImageResizePolicy.None });
        Check(ml, ml.Transforms.LoadRawImageBytes("Raw", Dir, nameof(Row.Path)), options, Load(ml, _train), Load(ml, _test), [3, Size, Size]);
    }

    [Fact]
    public void FilePathColumnWithBaseDirectory()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(nameof(Row.Path), new ImageInputOptions { Width = 32, Height = 24, Resize = ImageResizePolicy.Pad, BaseDirectory = Dir });
        var (model, _, scores) = Check(ml, ml.Transforms.CopyColumns("Path", "Path"), options, Load(ml, _train), Load(ml, _test), [3, 24, 32]);

        // Row by row, as a prediction engine scores, gives the batch scores (up to the rounding of other kernels).
        using var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        for (var i = 0; i < 5; i++)
        {
            var single = engine.Predict(_test[i]).Score;
            Assert.Equal(scores[i].Length, single.Length);
            Assert.All(single.Zip(scores[i]), pair => Assert.Equal(pair.Second, pair.First, 5));
        }
    }

    [Fact]
    public void FilePathsStreamedAndStandardisedPerChannel()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(nameof(Row.Path), new ImageInputOptions { Width = Size, Height = Size, BaseDirectory = Dir });
        options.DataSource = BatchSourceMode.Streaming;
        options.NormalizeFeatures = true;
        var (_, network, _) = Check(ml, ml.Transforms.CopyColumns("Path", "Path"), options, Load(ml, _train), Load(ml, _test), [3, Size, Size]);
        var normalization = Assert.IsType<InputNormalization>(network.Input.Normalization);
        Assert.Equal(3, normalization.Mean.Length);
        Assert.All(normalization.Mean, m => Assert.InRange(m, 0.02f, 0.3f));
    }

    private static ConvolutionalNeuralNetworkTrainer.Options Options(string column, ImageInputOptions? image = null) => new()
    {
        FeatureColumnName = column,
        Architecture = new TinyConvSpec(),
        Image = image,
        Epochs = 30,
        BatchSize = 8,
        LearningRate = 0.03,
        NumberOfThreads = 1,
    };

    private static IDataView Load(MLContext ml, List<Row> rows) => ml.Data.LoadFromEnumerable(rows);

    private static IDataView Vectors(MLContext ml, List<Row> rows, int[] dimensions)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    private (ITransformer Model, NetworkPredictionTransformer Network, List<float[]> Scores) Check(MLContext ml, IEstimator<ITransformer> load, ConvolutionalNeuralNetworkTrainer.Options options, IDataView train, IDataView test, long[] chw)
    {
        var trainer = ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options);
        var model = load.Append(ml.Transforms.Conversion.MapValueToKey("Label")).Append(trainer).Fit(train);
        var network = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();
        var module = Assert.IsType<TinyConv>(network.Network);
        Assert.Equal(chw, network.Input.Shape);
        AssertBatches(module.Seen, chw);

        module.ClearSeen();
        var scored = model.Transform(test);
        var scores = Scores(scored);
        AssertBatches(module.Seen, chw);
        var accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        Assert.True(accuracy >= 0.8, $"accuracy {accuracy} on unseen images; " + string.Join(" ", network.History!.Select(e => $"{e.TrainingLoss:F3}/{e.TrainingMetric:F2}")));

        var path = Path.Combine(Dir, $"{options.FeatureColumnName}-model.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var reloaded = ((IEnumerable<ITransformer>)loaded).OfType<NetworkPredictionTransformer>().Single();
        Assert.Equal(network.Input.GetType(), reloaded.Input.GetType());
        Assert.Equal(chw, reloaded.Input.Shape);
        Assert.Equal(scores, Scores(loaded.Transform(test)));
        return (model, network, scores);
    }

    private static void AssertBatches(IReadOnlyList<long[]> seen, long[] chw)
    {
        Assert.NotEmpty(seen);
        Assert.All(seen, shape =>
        {
            Assert.Equal(4, shape.Length);
            Assert.InRange(shape[0], 1, 1024);
            Assert.Equal(chw, shape[1..]);
        });
    }

    private static List<float[]> Scores(IDataView scored)
        => scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray()).ToList();
}

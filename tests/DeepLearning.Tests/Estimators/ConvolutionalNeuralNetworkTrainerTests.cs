using DeepLearning.Tests.Inputs;
using DeepLearning.Tests.Onnx;
using DeepLearning.Tests.Training;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Estimators;

/// <summary>
/// The public CNN trainer on a task drawn in the test (bar orientation): it learns it, scores the
/// same after save and load and through ONNX, keeps augmentation out of scoring, saves its recipe,
/// fits the architecture to the data and names what is wrong with options and inputs.
/// </summary>
public sealed class ConvolutionalNeuralNetworkTrainerTests : TempDirectoryTest
{

    [Fact]
    public void LearnsBarOrientationAbove95PercentAndScoresIdenticallyAfterSaveAndLoad()
    {
        var ml = new MLContext(seed: 1);
        var train = Bars(ml, 240, seed: 1);
        var test = Bars(ml, 100, seed: 2);
        var augmentation = new AugmentationPipeline([new RandomCrop { Padding = 2 }], seed: 3);
        var options = Options(augmentation);
        var model = Pipeline(ml, options).Fit(train);

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.95, $"accuracy {metrics.MicroAccuracy}");

        var path = Path.Combine(Dir, "cnn.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        Assert.Equal(Scores(model.Transform(test)), Scores(loaded.Transform(test)));

        // The network was fitted to the data (1×28×28, two classes), and the recipe kept the augmentation.
        var network = Network(loaded);
        Assert.Equal(new SmallCnnSpec { WidthMultiplier = 0.25, OutputSize = 2 }, network.Spec);
        var recipe = Assert.IsType<System.Text.Json.Nodes.JsonObject>(network.History!.Recipe);
        Assert.Equal(nameof(ConvolutionalNeuralNetworkTrainer), recipe["trainer"]!.GetValue<string>());
        Assert.Equal(options.Epochs, recipe["epochs"]!.GetValue<int>());
        var saved = AugmentationPipeline.FromJson(recipe["augmentation"]);
        Assert.Equal(augmentation.Steps, saved.Steps);
        Assert.Equal(augmentation.Seed, saved.Seed);
    }

    [Fact]
    public void AugmentationChangesTrainingButScoringIsThePlainNetwork()
    {
        var ml = new MLContext(seed: 1);
        var train = Bars(ml, 64, seed: 1);
        var options = Options(null);
        options.Epochs = 2;
        using var plain = Network(Pipeline(ml, options).Fit(train));
        options.Augmentation = new AugmentationPipeline([new Flip { Axis = FlipAxis.Vertical, Probability = 1 }, new RandomErasing { Probability = 1 }], seed: 1);
        var model = Pipeline(ml, options).Fit(train);
        using var augmented = Network(model);
        Assert.NotEqual(Weights(plain), Weights(augmented));

        // Scoring runs the network on the pixels as they are: softmax(network(x)) with no augmentation.
        var pixels = train.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray()).ToArray();
        var scores = Scores(model.Transform(train));
        using var scope = NewDisposeScope();
        augmented.Network.eval();
        using var noGrad = no_grad();
        var expected = nn.functional.softmax(augmented.Network.forward(tensor(pixels.SelectMany(p => p).ToArray()).reshape(-1, 1, 28, 28)), 1);
        for (var i = 0; i < pixels.Length; i++)
        {
            AssertClose(expected[i].data<float>().ToArray(), scores[i], 1e-5f);
        }
    }

    [Fact]
    public void CutMixTrainsOnSoftTargetsAndIsSavedInTheRecipe()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(new AugmentationPipeline([new RandomCrop { Padding = 2 }], seed: 3));
        options.Mixing = new CutMix { Probability = 0.5 };
        options.Epochs = 10;
        var model = Pipeline(ml, options).Fit(Bars(ml, 240, seed: 1));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(Bars(ml, 100, seed: 2)));
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
        var recipe = Network(model).History!.Recipe!;
        Assert.Equal(options.Mixing, Transforms.Serialization.NamedTypes.Read<BatchMixing>(recipe["mixing"], "mixing"));
    }

    [Theory]
    [InlineData(BatchSourceMode.Cached)]
    [InlineData(BatchSourceMode.Streaming)]
    public void LiveTensorsStayFlatOverEpochsWithAugmentationAndMixing(BatchSourceMode source)
    {
        // Tensors this thread created and never disposed (the finalizer does not count): a leak of one
        // tensor per batch adds 13 per epoch (checked by planting one). Native memory follows tensors.
        var ml = new MLContext(seed: 1);
        var options = Options(new AugmentationPipeline([new RandomCrop { Padding = 2 }, new Flip(), new RandomErasing()], seed: 3));
        options.Mixing = new Mixup();
        options.NormalizeFeatures = true;
        options.ValidationFraction = 0.2;
        options.DataSource = source;
        options.Epochs = 6;
        var live = new List<long>();
        options.Progress = new RecordingProgress(_ => live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        using var network = Network(Pipeline(ml, options).Fit(Bars(ml, 240, seed: 1)));
        Assert.Equal(6, live.Count);
        Assert.True(live[^1] - live[1] < 10, $"live tensors after each epoch: {string.Join(", ", live)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EqualSeedsGiveEqualModels(int threads)
    {
        var ml = new MLContext(seed: 1);
        var train = Bars(ml, 96, seed: 1);
        var options = Options(new AugmentationPipeline([new RandomCrop { Padding = 2 }, new Flip()], seed: 3));
        options.Mixing = new CutMix { Probability = 0.5 };
        options.Epochs = 2;
        options.NumberOfThreads = threads;
        using var first = Network(Pipeline(ml, options).Fit(train));
        using var second = Network(Pipeline(ml, options).Fit(train));
        Assert.Equal(Weights(first), Weights(second));
    }

    [Fact]
    public void AugmentationRunsOnThePixelScaleWhenInputsAreStandardised()
    {
        // Erasing with value 0 means black pixels, which standardised read (0 − mean) / std.
        var normalization = new Transforms.Inputs.InputNormalization([0.5f], [0.25f]);
        var pipeline = new AugmentationPipeline([new RandomErasing { Probability = 1, MinArea = 0.25, MaxArea = 0.25, MinRatio = 1, MaxRatio = 1 }], seed: 1);
        var wrapped = new NormalizedAugmentation(pipeline, normalization, [1, 8, 8]);
        using var scope = NewDisposeScope();
        var standardised = full(2, 1, 8, 8, 1.5f);
        var result = ((Trainers.Training.IBatchAugmentation)wrapped).Apply(new Trainers.Training.Sources.Batch(standardised, zeros(2)), 1, 1).Input;
        var values = result.data<float>().ToArray();
        Assert.Equal(2 * 16, values.Count(v => v == -2f));
        Assert.Equal((2 * 64) - (2 * 16), values.Count(v => v == 1.5f));
    }

    [Fact]
    public void OnnxExportOfTheTrainedPipelineMatchesTorchSharp()
    {
        var ml = new MLContext(seed: 1);
        var train = Bars(ml, 32, seed: 1);
        var options = Options(null);
        options.Epochs = 1;
        options.NormalizeFeatures = true;
        var model = Pipeline(ml, options).Fit(train);
        var onnx = OnnxScoring.Convert(ml, model, train);
        var expected = Scores(model.Transform(train));
        var actual = Scores(OnnxScoring.ThroughMlNet(ml, onnx, train));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertClose(expected[i], actual[i], 1e-4f);
        }
    }

    [Fact]
    public void ValidationSetOptionValidatesEveryEpochOfAPipelineFit()
    {
        var ml = new MLContext(seed: 1);
        var train = Bars(ml, 32, seed: 1);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var options = Options(null);
        options.Epochs = 2;
        options.ValidationSet = toKey.Transform(Bars(ml, 16, seed: 2));
        var model = Pipeline(ml, options).Fit(train);
        var history = Network(model).History!;
        Assert.All(history, e => Assert.NotNull(e.ValidationMetric));
    }

    [Fact]
    public void BinaryCatalogLearnsTheSameTask()
    {
        var ml = new MLContext(seed: 1);
        var toBool = ml.Transforms.CustomMapping<BarLabel, BarFlag>((a, b) => b.Horizontal = a.Label == "h", contractName: null);
        var train = toBool.Fit(Bars(ml, 160, seed: 1)).Transform(Bars(ml, 160, seed: 1));
        var test = toBool.Fit(train).Transform(Bars(ml, 60, seed: 2));
        var options = Options(null);
        options.LabelColumnName = nameof(BarFlag.Horizontal);
        var model = ml.BinaryClassification.Trainers.ConvolutionalNeuralNetwork(options).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test), nameof(BarFlag.Horizontal));
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy}");
    }

    [Fact]
    public void OptionsAreValidatedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options { Architecture = new ResNetSpec { WidthMultiplier = 0 } }));
        Assert.Equal("Architecture.WidthMultiplier", e.ParamName);
        Assert.Contains("ResNetSpec", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options { FeatureShape = [784] }));
        Assert.Equal("FeatureShape.Length", e.ParamName);
        Assert.Throws<ArgumentNullException>("Architecture", () => ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options { Architecture = null! }));
    }

    [Fact]
    public void ImagesTooSmallForTheArchitectureAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(null);
        options.Architecture = new AlexNetSpec();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline(ml, options).Fit(Bars(ml, 8, seed: 1)));
        Assert.Equal("Architecture", e.ParamName);
        Assert.Contains("AlexNetSpec", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Pixels' ([1, 28, 28])", e.Message, StringComparison.Ordinal);
        Assert.Contains("InputHeight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlatVectorWithoutImageShapeAsksForFeatureShape()
    {
        var ml = new MLContext(seed: 1);
        var flat = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new FlatRow { Label = i % 2 == 0 ? "h" : "v", Pixels = new float[784] }));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline(ml, Options(null)).Fit(flat));
        Assert.Equal("FeatureShape", e.ParamName);
        Assert.Contains("'Pixels' is read as [784]", e.Message, StringComparison.Ordinal);

        var options = Options(null);
        options.FeatureShape = [1, 28, 28];
        options.Epochs = 1;
        Assert.Equal([1L, 28, 28], Network(Pipeline(ml, options).Fit(flat)).Input.Shape);
    }

    [Fact]
    public void GreyPixelsIntoAColourModelAreRefusedNamingColumnAndSizes()
    {
        var ml = new MLContext(seed: 1);
        var colour = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new ColourRow { Label = i % 2 == 0 ? "h" : "v", Pixels = new float[3 * 28 * 28] }), ColourRow.Schema());
        var options = Options(null);
        options.Epochs = 1;
        var model = Pipeline(ml, options).Fit(colour);
        var grey = Bars(ml, 4, seed: 2);
        var e = Assert.ThrowsAny<Exception>(() => Scores(model.Transform(grey)));
        Assert.Contains("Pixels", e.Message, StringComparison.Ordinal);
        Assert.Contains("784", e.Message, StringComparison.Ordinal);
        Assert.Contains("2352", e.Message, StringComparison.Ordinal);
    }

    private static ConvolutionalNeuralNetworkTrainer.Options Options(AugmentationPipeline? augmentation) => new()
    {
        FeatureColumnName = "Pixels",
        Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
        Augmentation = augmentation,
        Epochs = 8,
        BatchSize = 16,
        LearningRate = 3e-3,
        NumberOfThreads = 1,
        Seed = 1,
    };

    private static IEstimator<ITransformer> Pipeline(MLContext ml, ConvolutionalNeuralNetworkTrainer.Options options)
        => ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options));

    /// <summary>Bar images as a <c>Pixels</c> vector of 784 with dimensions [1, 28, 28] and a Text label <c>h</c> or <c>v</c>.</summary>
    private IDataView Bars(MLContext ml, int count, int seed)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Dir, $"bars-{Guid.NewGuid():N}")).FullName;
        var schema = SchemaDefinition.Create(typeof(BarImages.Row));
        schema[nameof(BarImages.Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, BarImages.Size, BarImages.Size);
        return ml.Data.LoadFromEnumerable(BarImages.Write(folder, count, seed), schema);
    }

    private static NetworkPredictionTransformer Network(ITransformer model)
        => model as NetworkPredictionTransformer ?? ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single();

    private static float[] Weights(NetworkPredictionTransformer network)
        => [.. network.Network.parameters().SelectMany(p => p.data<float>().ToArray())];

    private static List<float[]> Scores(IDataView scored)
        => scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray()).ToList();

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: expected {expected[i]}, actual {actual[i]}");
        }
    }

    private sealed class BarLabel
    {
        public string Label { get; set; } = string.Empty;
    }

    private sealed class BarFlag
    {
        public bool Horizontal { get; set; }
    }

    private sealed class FlatRow
    {
        public string Label { get; set; } = string.Empty;

        [VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class ColourRow
    {
        public string Label { get; set; } = string.Empty;

        public float[] Pixels { get; set; } = [];

        public static SchemaDefinition Schema()
        {
            var schema = SchemaDefinition.Create(typeof(ColourRow));
            schema[nameof(Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, 28, 28);
            return schema;
        }
    }
}

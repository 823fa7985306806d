using DeepLearning.Tests.Inputs;
using DeepLearning.Tests.Onnx;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms;
using DeepLearning.Transforms.Featurizers;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Featurizers;

/// <summary>
/// The image featurizer: the backbone's pooled features of each image (checked against the network
/// run directly), deterministic, feeding an ML.NET trainer, identical after save/load and in ONNX,
/// and named errors.
/// </summary>
public sealed class ImageFeaturizerTests : TempDirectoryTest
{
    private static readonly SmallCnnSpec Architecture = new() { WidthMultiplier = 0.25, OutputSize = 2 };

    [Fact]
    public void FeaturesAreTheBackbonesPooledOutputAndDeterministic()
    {
        var ml = new MLContext(seed: 1);
        var (data, rows) = Bars(ml, 12, seed: 1);
        var path = RandomWeights();
        var featurizer = ml.Transforms.ImageFeaturizer(Options(path)).Fit(data);

        var features = Column(featurizer.Transform(data), "Features");
        Assert.Equal(16 * 7 * 7, features[0].Length);
        Assert.Equal(features, Column(featurizer.Transform(data), "Features"));

        using var scope = NewDisposeScope();
        using var classifier = (ImageClassifier)Architecture.Build();
        Transforms.Weights.PretrainedWeights.Load(classifier, path);
        classifier.eval();
        using var noGrad = no_grad();
        var expected = classifier.ForwardFeatures(tensor(rows.SelectMany(r => r.Pixels).ToArray()).reshape(-1, 1, 28, 28));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i].data<float>().ToArray(), features[i]);
        }
    }

    [Fact]
    public void PretrainedFeaturesFeedAnMlNetTrainerAndSurviveSaveLoadAndOnnx()
    {
        // Pretrain the small CNN on bars, then learn the task again with a linear ML.NET trainer on its features.
        var ml = new MLContext(seed: 1);
        var (train, _) = Bars(ml, 160, seed: 1);
        var (test, _) = Bars(ml, 60, seed: 2);
        var cnn = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
        {
            FeatureColumnName = "Pixels",
            Architecture = Architecture,
            Epochs = 6,
            BatchSize = 16,
            LearningRate = 3e-3,
            NumberOfThreads = 1,
        })).Fit(train);
        var weights = Path.Combine(Dir, "pretrained.safetensors");
        Safetensors.SaveStateDict(weights, ((IEnumerable<ITransformer>)cnn).OfType<NetworkPredictionTransformer>().Single().Network.state_dict());

        var pipeline = ml.Transforms.ImageFeaturizer(Options(weights))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "Features"));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");

        var featurizer = ml.Transforms.ImageFeaturizer(Options(weights)).Fit(test);
        var zip = Path.Combine(Dir, "featurizer.zip");
        ml.Model.Save(featurizer, test.Schema, zip);
        var loaded = new MLContext().Model.Load(zip, out _);
        var expected = Column(featurizer.Transform(test), "Features");
        Assert.Equal(expected, Column(loaded.Transform(test), "Features"));

        var onnx = OnnxScoring.Convert(ml, featurizer, test);
        var actual = Column(OnnxScoring.ThroughMlNet(ml, onnx, test), "Features");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Zip(actual[i]).All(p => Math.Abs(p.First - p.Second) <= 1e-4), $"row {i}");
        }
    }

    [Fact]
    public void NamedLayerFeaturesAreThatLayersOutputAfterSaveLoadAndInOnnx()
    {
        var ml = new MLContext(seed: 1);
        var (data, rows) = Bars(ml, 10, seed: 3);
        var path = RandomWeights();
        using var scope = NewDisposeScope();
        using var classifier = (SmallCnn)Architecture.Build();
        Transforms.Weights.PretrainedWeights.Load(classifier, path);
        classifier.eval();
        using var noGrad = no_grad();
        var images = tensor(rows.SelectMany(r => r.Pixels).ToArray()).reshape(-1, 1, 28, 28);
        var hidden = ((TorchSharp.Modules.Sequential)classifier.Head)[0].call(classifier.ForwardFeatures(images));
        var firstBlock = ((TorchSharp.Modules.Sequential)classifier.named_children().Single(c => c.name == "features").module).call(images);

        // classifier.0 is the hidden linear layer, followed by an in-place ReLU: its features must keep their negative values.
        foreach (var (layer, expected) in new[] { ("classifier.0", hidden), ("classifier.1", hidden.relu()), ("features", firstBlock.flatten(1)) })
        {
            var options = Options(path);
            options.LayerName = layer;
            var featurizer = ml.Transforms.ImageFeaturizer(options).Fit(data);
            var features = Column(featurizer.Transform(data), "Features");
            Assert.Equal(expected.shape[1], features[0].Length);
            for (var i = 0; i < rows.Count; i++)
            {
                var want = expected[i].data<float>().ToArray();
                Assert.True(want.Zip(features[i]).All(p => Math.Abs(p.First - p.Second) <= 1e-5), $"layer {layer}, row {i}");
            }

            var zip = Path.Combine(Dir, $"{layer}.zip");
            ml.Model.Save(featurizer, data.Schema, zip);
            Assert.Equal(features, Column(new MLContext().Model.Load(zip, out _).Transform(data), "Features"));
            var onnx = Column(OnnxScoring.ThroughMlNet(ml, OnnxScoring.Convert(ml, featurizer, data), data), "Features");
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.True(features[i].Zip(onnx[i]).All(p => Math.Abs(p.First - p.Second) <= 1e-4), $"ONNX, layer {layer}, row {i}");
            }
        }

        Assert.True(hidden.lt(0).any().item<bool>(), "the hidden layer has negative pre-activations, so the test can tell them from the ReLU's");
    }

    [Fact]
    public void AnUnknownLayerIsNamedWithTheModulesThereAre()
    {
        var ml = new MLContext(seed: 1);
        var (data, _) = Bars(ml, 2, seed: 1);
        var options = Options(RandomWeights());
        options.LayerName = "features.9";
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ImageFeaturizer(options).Fit(data));
        Assert.Equal("LayerName", e.ParamName);
        Assert.Contains("'features.9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("classifier.1", e.Message, StringComparison.Ordinal);
        options.LayerName = " ";
        Assert.Throws<ArgumentException>("LayerName", () => ml.Transforms.ImageFeaturizer(options));
    }

    [Fact]
    public void MissingOptionsAndUnfitColumnsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        Assert.Throws<ArgumentNullException>("Architecture", () => ml.Transforms.ImageFeaturizer(new ImageFeaturizerOptions { WeightsPath = "w.pth" }));
        Assert.Throws<ArgumentException>("WeightsPath", () => ml.Transforms.ImageFeaturizer(new ImageFeaturizerOptions { Architecture = Architecture }));
        var wrongSize = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ImageFeaturizer(new ImageFeaturizerOptions
        {
            Architecture = Architecture,
            WeightsPath = "w.pth",
            Image = new Transforms.Inputs.ImageInputOptions { Width = 32, Height = 32, Channels = 1 },
        }));
        Assert.Equal("Image", wrongSize.ParamName);

        var (data, _) = Bars(ml, 4, seed: 1);
        var path = RandomWeights();
        var colour = Options(path);
        colour.Architecture = Architecture with { InputChannels = 3 };
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.ImageFeaturizer(colour).Fit(data));
        Assert.Contains("Pixels", e.Message, StringComparison.Ordinal);

        var absent = Options(path);
        absent.InputColumnName = "Photo";
        Assert.Contains("'Photo'", Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.ImageFeaturizer(absent).Fit(data)).Message, StringComparison.Ordinal);
        var missingFile = Options(Path.Combine(Dir, "none.pth"));
        Assert.Throws<FileNotFoundException>(() => ml.Transforms.ImageFeaturizer(missingFile).Fit(data));
    }

    private ImageFeaturizerOptions Options(string weights) => new()
    {
        Architecture = Architecture,
        WeightsPath = weights,
        InputColumnName = "Pixels",
    };

    private string RandomWeights()
    {
        random.manual_seed(9);
        using var network = Architecture.Build();
        var path = Path.Combine(Dir, $"random-{Guid.NewGuid():N}.pth");
        PyTorchPickler.PickleStateDict(path, new System.Collections.Hashtable(network.state_dict()));
        return path;
    }

    private (IDataView Data, List<BarImages.Row> Rows) Bars(MLContext ml, int count, int seed)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Dir, $"bars-{Guid.NewGuid():N}")).FullName;
        var rows = BarImages.Write(folder, count, seed);
        var schema = SchemaDefinition.Create(typeof(BarImages.Row));
        schema[nameof(BarImages.Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, BarImages.Size, BarImages.Size);
        return (ml.Data.LoadFromEnumerable(rows, schema), rows);
    }

    private static List<float[]> Column(IDataView data, string name)
        => data.GetColumn<VBuffer<float>>(data.Schema[name]).Select(v => v.DenseValues().ToArray()).ToList();
}

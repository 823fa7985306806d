using DeepLearning.Tests.Inputs;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Networks.Architectures;

/// <summary>
/// Zoo networks train through the generic network trainer on 1×28×28 images, save their spec into
/// the model manifest under its registered name, and score identically after load.
/// </summary>
public sealed class ZooModelPersistenceTests : TempDirectoryTest
{

    [Theory]
    [InlineData(SmallCnnSpec.ArchitectureName)]
    [InlineData(ResNetSpec.ArchitectureName)]
    [InlineData(MobileNetV2Spec.ArchitectureName)]
    public void TrainsSavesAndReloadsWithIdenticalScores(string architecture)
    {
        var ml = new MLContext(seed: 1);
        var rows = BarImages.Write(Dir, 32, seed: 1);
        var schema = SchemaDefinition.Create(typeof(BarImages.Row));
        schema[nameof(BarImages.Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, BarImages.Size, BarImages.Size);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var options = new ConvolutionalNeuralNetworkTrainer.Options { FeatureColumnName = "Pixels", Architecture = Spec(architecture), Epochs = 2, BatchSize = 8, NumberOfThreads = 1 };
        var trainer = ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options);

        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(data);
        var path = Path.Combine(Dir, architecture + ".zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);

        var before = ((IEnumerable<ITransformer>)model).OfType<NetworkPredictionTransformer>().Single().Model;
        var after = ((IEnumerable<ITransformer>)loaded).OfType<NetworkPredictionTransformer>().Single().Model;
        Assert.Equal(before.Spec, after.Spec);
        Assert.Equal(before.Network.GetType(), after.Network.GetType());
        Assert.Equal(Scores(model.Transform(data)), Scores(loaded.Transform(data)));
    }

    private static ImageNetworkSpec Spec(string architecture) => architecture switch
    {
        SmallCnnSpec.ArchitectureName => new SmallCnnSpec { WidthMultiplier = 0.25 },
        ResNetSpec.ArchitectureName => new ResNetSpec { Variant = ResNetVariant.ResNet20, WidthMultiplier = 0.5 },
        _ => new MobileNetV2Spec { SmallInput = true, WidthMultiplier = 0.25 },
    };

    private static List<float[]> Scores(IDataView scored)
        => scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).Select(v => v.DenseValues().ToArray()).ToList();
}

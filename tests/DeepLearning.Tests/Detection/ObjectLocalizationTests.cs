using DeepLearning.Tests.Onnx;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>Object localisation: the loss against a hand computation, learning generated scenes with and without an object, save/load and ONNX parity, and named bad rows.</summary>
public sealed class ObjectLocalizationTests : TempDirectoryTest
{
    private static readonly SceneItems Items = SceneItems.Shapes();

    [Fact]
    public void TheLossIsPresencePlusWeightedBoxPlusClassOnRowsWithAnObject()
    {
        using var scope = NewDisposeScope();
        var task = new ObjectLocalizationTask(boxWeight: 5);
        // Row 0: an object of class 1 at centre (0.5, 0.25), size (0.2, 0.4); row 1: no object. Three classes.
        float[] outputs = [0.3f, 0.1f, -0.2f, 0.4f, 0.0f, 1.0f, 2.0f, -1.0f, -0.5f, 9f, 9f, 9f, 9f, 9f, 9f, 9f];
        var output = tensor(outputs).reshape(2, 8);
        var target = tensor(new float[] { 1, 1, 0.5f, 0.25f, 0.2f, 0.4f, 0, -1, 0, 0, 0, 0 }).reshape(2, 6);

        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        double presence = -(Math.Log(Sigmoid(0.3)) + Math.Log(1 - Sigmoid(-0.5))) / 2;
        double[] box = [Sigmoid(0.1) - 0.5, Sigmoid(-0.2) - 0.25, Sigmoid(0.4) - 0.2, Sigmoid(0.0) - 0.4];
        double logSum = Math.Log(Math.Exp(1.0) + Math.Exp(2.0) + Math.Exp(-1.0));
        double expected = presence + (5 * box.Sum(d => d * d)) + (logSum - 2.0);
        Assert.Equal(expected, task.Loss(output, target).item<float>(), 5);

        // Without any object, only the presence term counts.
        var empty = tensor(new float[] { 0, -1, 0, 0, 0, 0 }).reshape(1, 6);
        Assert.Equal(-Math.Log(1 - Sigmoid(0.3)), task.Loss(output[..1], empty).item<float>(), 5);
    }

    [Fact]
    public void LearnsWhereAndWhatTheObjectIsAndSavesAndExports()
    {
        var ml = new MLContext(seed: 1);
        var options = new SceneOptions { Size = 32, MinObjects = 0, MaxObjects = 1, MinScale = 0.35, MaxScale = 0.7, Channels = 1, Seed = 1 };
        var train = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(1200, Items, options), Items.ClassNames);
        var testScenes = SceneGenerator.Generate(150, Items, new SceneOptions { Size = 32, MinObjects = 0, MaxObjects = 1, MinScale = 0.35, MaxScale = 0.7, Channels = 1, Seed = 2 });
        var test = SceneGenerator.ToDataView(ml, testScenes, Items.ClassNames);
        var trainer = ml.MulticlassClassification.Trainers.ObjectLocalization(new ConvolutionalNeuralNetworkTrainer.Options
        {
            LabelColumnName = "Labels",
            FeatureColumnName = "Image",
            Architecture = new SmallCnnSpec { WidthMultiplier = 0.5 },
            Epochs = 20,
            BatchSize = 32,
            LearningRate = 1e-3,
            NumberOfThreads = 2,
        });
        var model = trainer.Fit(train);
        var scored = model.Transform(test);
        var presence = scored.GetColumn<float>(ObjectLocalizationHead.PresenceColumn).ToArray();
        var boxes = scored.GetColumn<float[]>(ObjectLocalizationHead.BoundingBoxColumn).ToArray();
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();

        int presenceRight = 0, classRight = 0, objects = 0;
        double iou = 0;
        for (var i = 0; i < testScenes.Count; i++)
        {
            var scene = testScenes[i];
            presenceRight += (presence[i] > 0.5) == (scene.Count == 1) ? 1 : 0;
            if (scene.Count == 1)
            {
                objects++;
                classRight += predicted[i] == scene.Labels[0] + 1 ? 1 : 0;
                iou += Iou(boxes[i], scene.Boxes);
            }
        }

        Assert.True(objects is > 30 and < 120, $"{objects} of {testScenes.Count} test scenes hold an object");
        Assert.True(presenceRight > 0.9 * testScenes.Count, $"presence right on {presenceRight} of {testScenes.Count}");
        Assert.True(iou / objects > 0.55, $"mean IoU {iou / objects} (a fixed box of the mean size in the centre scores about 0.3)");
        Assert.True(classRight > 0.5 * objects, $"class right on {classRight} of {objects} (5 shapes: chance is 0.2)");

        var path = Path.Combine(Dir, "localizer.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        Assert.Equal(boxes, loaded.Transform(test).GetColumn<float[]>(ObjectLocalizationHead.BoundingBoxColumn).ToArray());

        var onnx = OnnxScoring.ThroughMlNet(ml, OnnxScoring.Convert(ml, model, test), test);
        var onnxBoxes = onnx.GetColumn<float[]>(ObjectLocalizationHead.BoundingBoxColumn).ToArray();
        var onnxPresence = onnx.GetColumn<float[]>(ObjectLocalizationHead.PresenceColumn).Select(v => v.Single()).ToArray(); // ApplyOnnxModel gives scalars as [1, 1] vectors
        for (var i = 0; i < testScenes.Count; i++)
        {
            Assert.True(boxes[i].Zip(onnxBoxes[i]).All(p => Math.Abs(p.First - p.Second) < 1e-3), $"ONNX box of row {i}");
            Assert.True(Math.Abs(presence[i] - onnxPresence[i]) < 1e-5, $"ONNX presence of row {i}");
        }

        Assert.Equal(predicted, onnx.GetColumn<uint[]>("PredictedLabel").Select(v => v.Single()).ToArray());
    }

    [Fact]
    public void BadRowsAreNamedWithColumnRowAndValue()
    {
        var ml = new MLContext(seed: 1);
        var scenes = SceneGenerator.Generate(6, Items, new SceneOptions { Size = 32, MinObjects = 1, MaxObjects = 1, Channels = 1 });
        string Fit(IReadOnlyList<Scene> rows)
            => Assert.ThrowsAny<Exception>(() => ml.MulticlassClassification.Trainers.ObjectLocalization(new ConvolutionalNeuralNetworkTrainer.Options
            {
                LabelColumnName = "Labels",
                FeatureColumnName = "Image",
                Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
                Epochs = 1,
            }).Fit(SceneGenerator.ToDataView(ml, rows, Items.ClassNames))).Message;

        var two = scenes[3] with { Labels = [0, 1], Boxes = [1, 1, 5, 5, 6, 6, 9, 9] };
        Assert.Contains("Row 3 holds 2 objects", Fit([.. scenes.Take(3), two]), StringComparison.Ordinal);
        var mismatch = scenes[2] with { Boxes = [1, 1, 5] };
        Assert.Contains("Row 2 has 1 label(s) in 'Labels' but 3 values in box column 'Boxes'", Fit([.. scenes.Take(2), mismatch]), StringComparison.Ordinal);
        var outside = scenes[1] with { Boxes = [1, 1, 40, 5] };
        Assert.Contains("(1, 1, 40, 5) in row 1", Fit([scenes[0], outside]), StringComparison.Ordinal);
        var inverted = scenes[0] with { Boxes = [9, 1, 5, 5] };
        Assert.Contains("Box column 'Boxes'", Fit([inverted]), StringComparison.Ordinal);
        var none = scenes.Select(s => s with { Labels = [], Boxes = [] }).ToArray();
        Assert.Contains("None of the 6 rows holds an object", Fit(none), StringComparison.Ordinal);
    }

    private static double Iou(float[] a, float[] b)
    {
        double w = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
        double h = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
        double i = w * h;
        return i / (((a[2] - a[0]) * (a[3] - a[1])) + ((b[2] - b[0]) * (b[3] - b[1])) - i);
    }
}

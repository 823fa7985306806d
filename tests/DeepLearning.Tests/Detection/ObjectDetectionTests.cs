using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Tests.Onnx;
using DeepLearning.Tests.Training;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp.PyBridge;

namespace DeepLearning.Tests.Detection;

/// <summary>YOLO object detection through the pipeline: learning generated scenes, the output columns, save/load, and named bad input.</summary>
public sealed class ObjectDetectionTests : TempDirectoryTest
{
    private static readonly SceneItems Items = SceneItems.Shapes(side: 16);

    private static YoloSpec SmallYolo => new() { Backbone = new TinyDarknetSpec { Widths = [8, 16, 32, 32], Downsamplings = 3 }, AnchorCount = 3, HeadWidth = 32 };

    [Fact]
    public void LearnsGeneratedScenesAndSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var train = Scenes(ml, 800, seed: 1);
        var test = Scenes(ml, 100, seed: 2);
        var progress = new RecordingProgress();
        var options = Options(epochs: 12);
        options.Progress = progress;
        options.Augmentation = new AugmentationPipeline([new Flip(), new RandomAffine { MaxTranslation = 0.1, MinScale = 0.9, MaxScale = 1.1 }], seed: 1); // boxes move with the pixels
        var model = ml.MulticlassClassification.Trainers.ObjectDetection(options, new ObjectDetectionTask { ScoreThreshold = 0.05 }).Fit(train);

        var losses = progress.Reports.Select(r => r.TrainingLoss).ToArray();
        Assert.True(losses[^1] < 0.5 * losses[0], $"training loss {losses[0]:F3} → {losses[^1]:F3}");
        var scored = model.Transform(test);
        var evaluation = DetectionMetrics.Evaluate(scored);
        Assert.True(evaluation.MeanAveragePrecision50 > 0.5, $"held-out mAP@0.5 {evaluation.MeanAveragePrecision50:F3} (5 shape classes, 1–3 objects per 48-px scene)");

        var labelType = Assert.IsType<VectorDataViewType>(scored.Schema[HeadColumnNames.PredictedLabel].Type);
        Assert.Equal(5UL, Assert.IsType<KeyDataViewType>(labelType.ItemType).Count);
        Assert.False(labelType.IsKnownSize);
        var labels = scored.GetColumn<uint[]>(HeadColumnNames.PredictedLabel).ToArray();
        var scores = scored.GetColumn<float[]>(HeadColumnNames.Score).ToArray();
        var boxes = scored.GetColumn<float[]>(HeadColumnNames.PredictedBoundingBoxes).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(labels[i].Length, scores[i].Length);
            Assert.Equal(4 * labels[i].Length, boxes[i].Length);
            Assert.True(scores[i].Zip(scores[i].Skip(1)).All(p => p.First >= p.Second), $"row {i}: scores in decreasing order");
            Assert.True(scores[i].All(s => s >= 0.05f && s <= 1), $"row {i}: scores above the threshold");
        }

        var path = Path.Combine(Dir, "detector.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _).Transform(test);
        Assert.Equal(boxes, loaded.GetColumn<float[]>(HeadColumnNames.PredictedBoundingBoxes).ToArray());
        Assert.Equal(scores, loaded.GetColumn<float[]>(HeadColumnNames.Score).ToArray());
        Assert.Equal(labels, loaded.GetColumn<uint[]>(HeadColumnNames.PredictedLabel).ToArray());

        // ONNX: decoding, NMS and top-k in the graph; ApplyOnnxModel gives the same detections.
        var onnx = OnnxScoring.ThroughMlNet(ml, OnnxScoring.Convert(ml, model, test), test);
        var onnxLabels = onnx.GetColumn<uint[]>(HeadColumnNames.PredictedLabel).ToArray();
        var onnxScores = onnx.GetColumn<float[]>(HeadColumnNames.Score).ToArray();
        var onnxBoxes = onnx.GetColumn<float[]>(HeadColumnNames.PredictedBoundingBoxes).ToArray();
        Assert.True(labels.Sum(l => l.Length) > labels.Length, "the held-out scenes have detections to compare");
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(labels[i], onnxLabels[i]);
            Assert.True(OnnxScoring.MaxAbsDiff(scores[i], onnxScores[i]) < 1e-4, $"row {i}: ONNX scores");
            Assert.True(OnnxScoring.MaxAbsDiff(boxes[i], onnxBoxes[i]) < 1e-3, $"row {i}: ONNX boxes (pixels)");
        }
    }

    [Fact]
    public void APretrainedClassifierStartsTheBackboneAndFreezingKeepsIt()
    {
        // A 10-class classifier of the backbone's family, saved as safetensors: its trunk goes into the detector's backbone.
        using var classifier = ((TinyDarknetSpec)SmallYolo.Backbone with { InputHeight = 48, InputWidth = 48, OutputSize = 10 }).Build();
        var path = Path.Combine(Dir, "backbone.safetensors");
        Safetensors.SaveStateDict(path, classifier.state_dict());
        var options = Options(epochs: 1);
        options.FineTuning = new FineTuningOptions { InitialWeights = path, FreezeBackboneEpochs = 1 };
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.ObjectDetection(options).Fit(Scenes(ml, 64, seed: 4));

        var trained = model.Network.state_dict();
        var pretrained = classifier.state_dict();
        foreach (var key in pretrained.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal)))
        {
            Assert.True(pretrained[key].shape.SequenceEqual(trained["backbone." + key].shape) && pretrained[key].eq(trained["backbone." + key]).all().item<bool>(), $"backbone.{key}: loaded and frozen");
        }

        Assert.True(trained.Keys.Count(k => k.StartsWith("head.", StringComparison.Ordinal)) > 0);
    }

    [Fact]
    public void MultiLabelScoringKeepsEveryClassAboveTheThresholdAndOnnxAgrees()
    {
        var ml = new MLContext(seed: 1);
        var train = Scenes(ml, 64, seed: 5);
        var test = Scenes(ml, 24, seed: 6);
        var task = new ObjectDetectionTask { ScoreThreshold = 0.002, MultiLabel = true };
        var model = ml.MulticlassClassification.Trainers.ObjectDetection(Options(epochs: 1), task).Fit(train);
        var scored = model.Transform(test);
        var labels = scored.GetColumn<uint[]>(HeadColumnNames.PredictedLabel).ToArray();
        var scores = scored.GetColumn<float[]>(HeadColumnNames.Score).ToArray();
        var boxes = scored.GetColumn<float[]>(HeadColumnNames.PredictedBoundingBoxes).ToArray();

        // After one epoch the classes are uncertain: some box must be detected under two classes.
        var repeated = boxes.Select((b, row) => Enumerable.Range(0, labels[row].Length).GroupBy(i => string.Join(",", b.Skip(4 * i).Take(4))).Any(g => g.Select(i => labels[row][i]).Distinct().Count() > 1)).Count(r => r);
        Assert.True(repeated > 0, "a box is detected under more than one class");

        var onnx = OnnxScoring.ThroughMlNet(ml, OnnxScoring.Convert(ml, model, test), test);
        var onnxLabels = onnx.GetColumn<uint[]>(HeadColumnNames.PredictedLabel).ToArray();
        var onnxScores = onnx.GetColumn<float[]>(HeadColumnNames.Score).ToArray();
        var onnxBoxes = onnx.GetColumn<float[]>(HeadColumnNames.PredictedBoundingBoxes).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(scores[i].Length, onnxScores[i].Length);
            Assert.True(OnnxScoring.MaxAbsDiff(scores[i], onnxScores[i]) < 1e-4, $"row {i}: ONNX scores");
            // Equal scores may come in either order; compare the (label, box) pairs as sets within the tolerance.
            for (var d = 0; d < labels[i].Length; d++)
            {
                var match = Enumerable.Range(0, onnxLabels[i].Length).Any(o => onnxLabels[i][o] == labels[i][d] && Math.Abs(onnxScores[i][o] - scores[i][d]) < 1e-4
                    && Enumerable.Range(0, 4).All(k => Math.Abs(onnxBoxes[i][(4 * o) + k] - boxes[i][(4 * d) + k]) < 1e-3));
                Assert.True(match, $"row {i}: detection {d} (label {labels[i][d]}, score {scores[i][d]}) is in ONNX's output");
            }
        }
    }

    [Fact]
    public void TheGridFollowsTheBackboneStrideAndTheOutputSizeMustFitIt()
    {
        Assert.Equal((6, 6), new YoloSpec { InputHeight = 96, InputWidth = 96 }.Grid());
        Assert.Equal((4, 8), (SmallYolo with { InputChannels = 1, InputHeight = 32, InputWidth = 64 }).Grid());
        Assert.Equal((8, 8), new YoloSpec { Backbone = new ResNetSpec { Variant = ResNetVariant.ResNet20 }, InputHeight = 32, InputWidth = 32 }.Grid());
        Assert.Equal((2, 2), new YoloSpec { Backbone = new MobileNetV2Spec { WidthMultiplier = 0.25 }, InputHeight = 64, InputWidth = 64 }.Grid());

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (SmallYolo with { InputHeight = 48, InputWidth = 48, OutputSize = 1000 }).Build());
        Assert.Contains("OutputSize", e.Message, StringComparison.Ordinal);
        using var network = (SmallYolo with { InputHeight = 48, InputWidth = 48, OutputSize = 6 * 6 * 3 * 7 }).Build();
        using var output = network.call(TorchSharp.torch.zeros(2, 3, 48, 48));
        Assert.Equal([2L, 3 * 7, 6, 6], output.shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => new YoloSpec { AnchorCount = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new YoloSpec { Backbone = new YoloSpec() }.Validate());
    }

    [Fact]
    public void BadInputIsNamedWithColumnRowAndValue()
    {
        var ml = new MLContext(seed: 1);
        var scenes = SceneGenerator.Generate(8, Items, SceneOptions(seed: 3));
        string Fit(IReadOnlyList<Scene> rows, ConvolutionalNeuralNetworkTrainer.Options? options = null, ObjectDetectionTask? task = null)
            => Assert.ThrowsAny<Exception>(() => ml.MulticlassClassification.Trainers.ObjectDetection(options ?? Options(epochs: 1), task)
                .Fit(SceneGenerator.ToDataView(ml, rows, Items.ClassNames))).Message;

        var mismatch = scenes[2] with { Labels = [0], Boxes = [1, 1, 5] };
        Assert.Contains("Row 2 has 1 label(s) in 'Labels' but 3 values in box column 'Boxes'", Fit([.. scenes.Take(2), mismatch, .. scenes.Skip(3)]), StringComparison.Ordinal);
        var outside = scenes[1] with { Labels = [0], Boxes = [1, 1, 60, 5] };
        Assert.Contains("(1, 1, 60, 5) for object 0 in row 1", Fit([scenes[0], outside, .. scenes.Skip(2)]), StringComparison.Ordinal);
        var negative = scenes[0] with { Labels = [0], Boxes = [9, 1, 5, 5] };
        Assert.Contains("x1 < x2", Fit([negative, .. scenes.Skip(1)]), StringComparison.Ordinal);
        Assert.Contains("Object detection needs options.Architecture to be a YoloSpec", Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.ObjectDetection(new ConvolutionalNeuralNetworkTrainer.Options { Architecture = new SmallCnnSpec() })).Message, StringComparison.Ordinal);
        Assert.Contains("Anchors.Count", Fit(scenes, task: new ObjectDetectionTask { Anchors = [(4, 4)] }), StringComparison.Ordinal);
        Assert.Contains("fewer than the 3 anchors", Fit([.. scenes.Select(s => s with { Labels = [], Boxes = [] }).Skip(1), scenes[0] with { Labels = [0], Boxes = [1, 1, 9, 9] }]), StringComparison.Ordinal);
        Assert.Contains("IgnoreThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectDetectionTask { IgnoreThreshold = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("MaxDetections", Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectDetectionTask { MaxDetections = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("cannot mix", Assert.Throws<NotSupportedException>(() => new ObjectDetectionTask().MixTargets(null!, null!, null!, 0)).Message, StringComparison.Ordinal);
    }

    private static ConvolutionalNeuralNetworkTrainer.Options Options(int epochs) => new()
    {
        LabelColumnName = "Labels",
        FeatureColumnName = "Image",
        Architecture = SmallYolo,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 2e-3,
        NumberOfThreads = 2,
        Seed = 1,
    };

    private static SceneOptions SceneOptions(int seed) => new() { Size = 48, MinObjects = 1, MaxObjects = 3, MinScale = 0.3, MaxScale = 0.5, Seed = seed };

    private static IDataView Scenes(MLContext ml, int count, int seed) => SceneGenerator.ToDataView(ml, SceneGenerator.Generate(count, Items, SceneOptions(seed)), Items.ClassNames);
}

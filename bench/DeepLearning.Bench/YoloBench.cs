using System.Diagnostics;
using System.Globalization;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Bench;

/// <summary>
/// YOLO on generated scenes: 96-px scenes (<c>--size</c>) of 1–5 Fashion-MNIST items (training scenes from the 60,000 training
/// images, held-out scenes from the test images; geometric shapes with --shapes or when the data set is absent), the default
/// <see cref="YoloSpec"/> (Tiny Darknet, stride 16, 5 k-means anchors; <c>--arch tiny-wide</c> adds a
/// 512-channel convolution, <c>--arch wide</c> doubles every width), with <c>--pretrain</c> a backbone first trained to classify single items (<see cref="YoloPretraining"/>),
/// with <c>--augment</c> a flip and a random shift (±10%) and zoom (0.8–1.2) that move the boxes, Adam with cosine annealing, batch 32,
/// 2 threads. Prints the epochs (training loss, training mAP@0.5 and seconds), then mAP@0.5 and
/// mAP@[0.5:0.95] on the held-out scenes (scores down to <c>--score-threshold</c>, default 0.01; NMS at <c>--nms-iou</c>, default 0.45), training time, and images/s of scoring;
/// then the same for the network scored multi-label (<see cref="ObjectDetectionHead.MultiLabel"/>); <c>--save PATH</c> keeps the model's zip, <c>--load PATH</c> scores a saved one instead of training.
/// </summary>
internal static class YoloBench
{
    private const int TrainScenes = 8000;
    private const int TestScenes = 1000;
    private const int DefaultEpochs = 30;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        var ml = new MLContext(seed: 1);
        bool fashion = !options.Shapes && IdxDataset.Exists(options.DataDirectory);
        var trainItems = fashion ? SceneItems.FashionMnist(options.DataDirectory, IdxSplit.Train, maxItems: 60_000) : SceneItems.Shapes();
        var testItems = fashion ? SceneItems.FashionMnist(options.DataDirectory, IdxSplit.Test) : SceneItems.Shapes();
        var sceneOptions = new SceneOptions { Size = options.SceneSize, MinObjects = 1, MaxObjects = 5, Seed = 1 };
        var train = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(TrainScenes, trainItems, sceneOptions), trainItems.ClassNames);
        var test = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(TestScenes, testItems, new SceneOptions { Size = options.SceneSize, MinObjects = 1, MaxObjects = 5, Seed = 2 }), testItems.ClassNames);
        int epochs = options.RequestedEpochs ?? DefaultEpochs;
        var architecture = Architecture(options.Architecture);
        var initial = options.Pretrain && options.LoadPath is null ? YoloPretraining.Run(ml, trainItems, architecture.Backbone, options.SceneSize, options.CheckpointDirectory) : null;
        var resume = options.LoadPath is null ? CnnBench.Resuming("yolo", options) : null;
        var trainer = ml.MulticlassClassification.Trainers.ObjectDetection(
            new ConvolutionalNeuralNetworkTrainer.Options
            {
                LabelColumnName = "Labels",
                FeatureColumnName = "Image",
                Architecture = architecture,
                FineTuning = initial is null ? null : new FineTuningOptions { InitialWeights = initial },
                Epochs = epochs,
                BatchSize = 32,
                LearningRate = options.LearningRate ?? 1e-3,
                L2Regularization = options.WeightDecay,
                LearningRateSchedule = new CosineAnnealingSchedule(),
                Augmentation = options.Augment ? new AugmentationPipeline([new Flip(), new RandomAffine { MaxTranslation = 0.1, MinScale = 0.8, MaxScale = 1.2 }], seed: 1) : null,
                NumberOfThreads = CnnBench.Threads,
                Seed = 1,
                CheckpointDirectory = options.CheckpointDirectory,
                ResumeFromCheckpoint = resume,
                Progress = new Progress<EpochMetrics>(m => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo\",\"epoch\":{m.Epoch},\"seconds\":{m.Duration.TotalSeconds:F1},\"trainLoss\":{m.TrainingLoss:F4},\"trainMap50\":{m.TrainingMetric:F4},\"rssMb\":{Rss.CurrentMb():F0}}}"))),
            },
            new ObjectDetectionTask { ScoreThreshold = 0.01 });
        var watch = Stopwatch.StartNew();
        var model = options.LoadPath is { } loadPath ? Load(ml, loadPath) : trainer.Fit(train);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        if (options.SavePath is { } savePath)
        {
            ml.Model.Save(model, train.Schema, savePath);
        }

        // The held-out scenes are scored with --score-threshold and --nms-iou, single-label, then multi-label:
        // each box under every class above the threshold (YOLOv5's evaluation).
        var head = (ObjectDetectionHead)model.Head;
        NetworkPredictionTransformer Scoring(bool multiLabel) =>
            new(new NetworkModel(model.Input, model.Spec, model.Network, head.WithSelection(multiLabel, options.ScoreThreshold, options.NmsIou)));
        var singleLabel = Scoring(multiLabel: false);
        watch.Restart();
        long detections = singleLabel.Transform(test).GetColumn<float[]>("Score").Sum(s => s.Length);
        double scoreSeconds = watch.Elapsed.TotalSeconds;
        var evaluation = DetectionMetrics.Evaluate(singleLabel.Transform(test));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"bench\":\"yolo\",\"summary\":true,\"data\":\"{(fashion ? "fashion-mnist scenes" : "shape scenes")}\",\"sceneSize\":{options.SceneSize},\"arch\":\"{ArchitectureName(options.Architecture)}\",\"trainScenes\":{TrainScenes},\"testScenes\":{TestScenes},\"loaded\":{(options.LoadPath is null ? "false" : "true")},\"epochs\":{epochs},\"augment\":{(options.Augment ? "true" : "false")},\"pretrained\":{(options.Pretrain ? "true" : "false")},\"parameters\":{model.Network.parameters().Sum(p => p.numel())},\"scoreThreshold\":{options.ScoreThreshold},\"nmsIou\":{options.NmsIou},\"map50\":{evaluation.MeanAveragePrecision50:F4},\"map50To95\":{evaluation.MeanAveragePrecision50To95:F4},\"fitSeconds\":{fitSeconds:F1},\"scoringImagesPerSecond\":{TestScenes / scoreSeconds:F1}}}"));
        var multiLabelEvaluation = DetectionMetrics.Evaluate(Scoring(multiLabel: true).Transform(test));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo\",\"summary\":\"multi-label\",\"map50\":{multiLabelEvaluation.MeanAveragePrecision50:F4},\"map50To95\":{multiLabelEvaluation.MeanAveragePrecision50To95:F4}}}"));
        foreach (var (c, m) in evaluation.PerClass.Zip(multiLabelEvaluation.PerClass))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo\",\"class\":\"{c.ClassName}\",\"ap50\":{c.AveragePrecision50:F4},\"ap50To95\":{c.AveragePrecision50To95:F4},\"multiLabelAp50\":{m.AveragePrecision50:F4},\"multiLabelAp50To95\":{m.AveragePrecision50To95:F4}}}"));
        }

        return 0;
    }

    /// <summary>A model saved by <c>--save</c>: the detector, alone or last of a chain.</summary>
    private static NetworkPredictionTransformer Load(MLContext ml, string path) => ml.Model.Load(path, out _) switch
    {
        NetworkPredictionTransformer detector => detector,
        IEnumerable<ITransformer> chain => chain.OfType<NetworkPredictionTransformer>().Last(),
        var other => throw new InvalidOperationException($"'{path}' holds a {other.GetType().Name}, not a detector."),
    };

    /// <summary>The name a report gives the detector of <c>--arch</c>: <c>wide</c>, <c>tiny-wide</c> or <c>default</c>.</summary>
    internal static string ArchitectureName(string name) => name is "wide" or "tiny-wide" ? name : "default";

    /// <summary>
    /// The detector of <c>--arch</c>: the default <see cref="YoloSpec"/>; <c>tiny-wide</c> (a sixth, 512-channel
    /// convolution at stride 16 and a 256-channel head); or <c>wide</c> (every width doubled, 32 to 512, and a 256-channel head).
    /// </summary>
    internal static YoloSpec Architecture(string name) => name switch
    {
        "wide" => new YoloSpec { Backbone = new TinyDarknetSpec { Widths = [32, 64, 128, 256, 512], Downsamplings = 4 }, HeadWidth = 256 },
        "tiny-wide" => new YoloSpec { Backbone = new TinyDarknetSpec { Widths = [16, 32, 64, 128, 256, 512], Downsamplings = 4 }, HeadWidth = 256 },
        _ => new YoloSpec(),
    };
}

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
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Bench;

/// <summary>
/// YOLO on generated scenes: 96-px scenes of 1–5 Fashion-MNIST items (training scenes from the 60,000 training
/// images, held-out scenes from the test images; geometric shapes with --shapes or when the data set is absent), the default
/// <see cref="YoloSpec"/> (Tiny Darknet, stride 16, 5 k-means anchors; <c>--arch tiny-wide</c> for a wider one),
/// with <c>--pretrain</c> a backbone first trained to classify single items (<see cref="YoloPretraining"/>),
/// with <c>--augment</c> a flip and a random shift (±10%) and zoom (0.8–1.2) that move the boxes, Adam with cosine annealing, batch 32,
/// 2 threads. Prints the epochs (training loss, training mAP@0.5 and seconds), then mAP@0.5 and
/// mAP@[0.5:0.95] on the held-out scenes (scores down to 0.01), training time, and images/s of scoring.
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
        var sceneOptions = new SceneOptions { Size = 96, MinObjects = 1, MaxObjects = 5, Seed = 1 };
        var train = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(TrainScenes, trainItems, sceneOptions), trainItems.ClassNames);
        var test = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(TestScenes, testItems, new SceneOptions { Size = 96, MinObjects = 1, MaxObjects = 5, Seed = 2 }), testItems.ClassNames);
        int epochs = options.RequestedEpochs ?? DefaultEpochs;
        var architecture = Architecture(options.Architecture);
        var initial = options.Pretrain ? YoloPretraining.Run(ml, trainItems, architecture.Backbone) : null;
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
                Progress = new Progress<EpochMetrics>(m => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo\",\"epoch\":{m.Epoch},\"seconds\":{m.Duration.TotalSeconds:F1},\"trainLoss\":{m.TrainingLoss:F4},\"trainMap50\":{m.TrainingMetric:F4},\"rssMb\":{Rss.CurrentMb():F0}}}"))),
            },
            new ObjectDetectionTask { ScoreThreshold = 0.01 });
        var watch = Stopwatch.StartNew();
        var model = trainer.Fit(train);
        double fitSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        long detections = model.Transform(test).GetColumn<float[]>("Score").Sum(s => s.Length);
        double scoreSeconds = watch.Elapsed.TotalSeconds;
        var evaluation = DetectionMetrics.Evaluate(model.Transform(test));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"bench\":\"yolo\",\"summary\":true,\"data\":\"{(fashion ? "fashion-mnist scenes" : "shape scenes")}\",\"trainScenes\":{TrainScenes},\"testScenes\":{TestScenes},\"epochs\":{epochs},\"augment\":{(options.Augment ? "true" : "false")},\"pretrained\":{(options.Pretrain ? "true" : "false")},\"parameters\":{model.Network.parameters().Sum(p => p.numel())},\"map50\":{evaluation.MeanAveragePrecision50:F4},\"map50To95\":{evaluation.MeanAveragePrecision50To95:F4},\"fitSeconds\":{fitSeconds:F1},\"scoringImagesPerSecond\":{TestScenes / scoreSeconds:F1}}}"));
        foreach (var c in evaluation.PerClass)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo\",\"class\":\"{c.ClassName}\",\"ap50\":{c.AveragePrecision50:F4},\"ap50To95\":{c.AveragePrecision50To95:F4}}}"));
        }

        return 0;
    }

    /// <summary>The detector of <c>--arch</c>: the default <see cref="YoloSpec"/>, or <c>tiny-wide</c> (a sixth, 512-channel convolution at stride 16 and a 256-channel head).</summary>
    private static YoloSpec Architecture(string name) => name switch
    {
        "tiny-wide" => new YoloSpec { Backbone = new TinyDarknetSpec { Widths = [16, 32, 64, 128, 256, 512], Downsamplings = 4 }, HeadWidth = 256 },
        _ => new YoloSpec(),
    };
}

using DeepLearning.Samples.ObjectDetection;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Analysis;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;

// YOLO object detection in an ML.NET pipeline: generate 96-px scenes of 1–5 Fashion-MNIST items (held-out
// scenes from the test images), train the default YoloSpec (Tiny Darknet, 5 k-means anchors), evaluate with
// COCO mAP, draw detections and precision/recall curves, save and reload the model, and check the ONNX export.
return SampleEntry.Run(args, ObjectDetectionOptions.Parse, ObjectDetectionOptions.Usage, Run);

static int Run(ObjectDetectionOptions options)
{
    var ml = new MLContext(seed: 1);
    bool fashion = IdxDataset.Exists(options.DataDirectory);
    var trainItems = fashion ? SceneItems.FashionMnist(options.DataDirectory, IdxSplit.Train) : SceneItems.Shapes();
    var testItems = fashion ? SceneItems.FashionMnist(options.DataDirectory, IdxSplit.Test) : SceneItems.Shapes();
    var train = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(options.TrainScenes, trainItems, new SceneOptions { Size = 96, Seed = 1 }), trainItems.ClassNames);
    var test = SceneGenerator.ToDataView(ml, SceneGenerator.Generate(ObjectDetectionOptions.TestScenes, testItems, new SceneOptions { Size = 96, Seed = 2 }), testItems.ClassNames);
    Console.WriteLine($"Scenes: {options.TrainScenes} for training, {ObjectDetectionOptions.TestScenes} held out, 96×96 px with 1–5 {(fashion ? "Fashion-MNIST items" : "geometric shapes (Fashion-MNIST not found)")}.");

    Console.WriteLine($"\nTraining YOLO (Tiny Darknet backbone, stride 16, 5 anchors) for {options.Epochs} epoch(s):");
    var trainer = ml.MulticlassClassification.Trainers.ObjectDetection(new ConvolutionalNeuralNetworkTrainer.Options
    {
        LabelColumnName = "Labels",
        FeatureColumnName = "Image",
        Architecture = new YoloSpec(),
        Epochs = options.Epochs,
        BatchSize = 32,
        LearningRate = 1e-3,
        LearningRateSchedule = new CosineAnnealingSchedule(),
        NumberOfThreads = 2,
        Seed = 1,
        Progress = new ConsoleProgress(options.Epochs, "mAP@0.5"),
    });
    using var model = trainer.Fit(train);

    var scored = model.Transform(test);
    var evaluation = DetectionMetrics.Evaluate(scored);
    Console.WriteLine($"\nHeld-out scenes: mAP@0.5 {evaluation.MeanAveragePrecision50:F3}, mAP@[0.5:0.95] {evaluation.MeanAveragePrecision50To95:F3}");
    foreach (var c in evaluation.PerClass)
    {
        Console.WriteLine($"  {c.ClassName,-12} AP@0.5 {c.AveragePrecision50:F3}  AP@[0.5:0.95] {c.AveragePrecision50To95:F3}  ({c.GroundTruthCount} objects, {c.PredictionCount} detections)");
    }

    Directory.CreateDirectory(options.OutputDirectory);
    string File(string name) => Path.Combine(options.OutputDirectory, name);
    evaluation.WritePrecisionRecallPlot(File("precision-recall.png"));
    DetectionPlots.Detections(scored, File("detections.png"), count: 16, minScore: 0.3f);

    ml.Model.Save(model, train.Schema, File("detector.zip"));
    var loaded = ml.Model.Load(File("detector.zip"), out _);
    bool same = loaded.Transform(test).GetColumn<float[]>("PredictedBoundingBoxes").SelectMany(b => b)
        .SequenceEqual(scored.GetColumn<float[]>("PredictedBoundingBoxes").SelectMany(b => b));
    Console.WriteLine($"\nSaved detector.zip; reloaded, it gives {(same ? "the same" : "DIFFERENT")} boxes.");

    using (var stream = System.IO.File.Create(File("detector.onnx")))
    {
        ml.Model.ConvertToOnnx(model, test, stream);
    }

    var onnx = ml.Transforms.ApplyOnnxModel(File("detector.onnx")).Fit(test).Transform(test);
    int agree = onnx.GetColumn<float[]>("Score").Zip(scored.GetColumn<float[]>("Score")).Count(p => p.First.Length == p.Second.Length);
    Console.WriteLine($"Exported detector.onnx (decode and NMS in the graph); ApplyOnnxModel finds as many detections on {agree} of {ObjectDetectionOptions.TestScenes} scenes.");
    Console.WriteLine($"PNGs written to {options.OutputDirectory}: precision-recall.png, detections.png");
    return same ? 0 : 1;
}

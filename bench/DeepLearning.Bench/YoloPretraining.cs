using System.Globalization;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp.PyBridge;

namespace DeepLearning.Bench;

/// <summary>
/// <c>yolo --pretrain</c>: trains the detector's backbone first as a classifier of single items (scenes of a third
/// of the detection scenes' side, rounded to 16 px, holding one training item each at 0.6–0.9 of it, coloured as in the detection scenes), and saves its weights for
/// <see cref="FineTuningOptions.InitialWeights"/>: transfer learning from classification to detection.
/// </summary>
internal static class YoloPretraining
{
    private const int Scenes = 30_000;
    private const int Epochs = 10;

    /// <summary>Pretrains <paramref name="backbone"/> on items of <paramref name="items"/> and returns the weights file.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="items">The items to classify.</param>
    /// <param name="backbone">The detector's backbone, with a classifier head.</param>
    /// <param name="sceneSize">Side of the detection scenes; items are pretrained at about the sizes they have there.</param>
    /// <param name="keepIn">A folder to keep the weights in and take them from when a previous run left them there, or <see langword="null"/> for a temporary file.</param>
    public static string Run(MLContext ml, SceneItems items, ImageNetworkSpec backbone, int sceneSize, string? keepIn)
    {
        var path = keepIn is null ? Path.Combine(Path.GetTempPath(), $"yolo-backbone-{Environment.ProcessId}.safetensors") : Path.Combine(keepIn, "pretrained-backbone.safetensors");
        if (keepIn is not null && File.Exists(path))
        {
            JsonReport.Line(w =>
            {
                w.WriteString("bench", "yolo-pretrain");
                w.WriteString("reused", path);
            });
            return path;
        }

        int size = Math.Max(32, (int)Math.Round(sceneSize / 3.0 / 16) * 16);
        var scenes = SceneGenerator.Generate(Scenes, items, new SceneOptions { Size = size, MinObjects = 1, MaxObjects = 1, MinScale = 0.6, MaxScale = 0.9, Seed = 3 });
        var definition = SchemaDefinition.Create(typeof(ItemRow));
        definition[nameof(ItemRow.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, size, size);
        var rows = scenes.Where(s => s.Count == 1).Select(s => new ItemRow { Image = s.Pixels, Label = s.Labels[0] }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.1, seed: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(new ConvolutionalNeuralNetworkTrainer.Options
            {
                Architecture = backbone,
                FeatureColumnName = "Image",
                FeatureShape = [3, size, size],
                Epochs = Epochs,
                BatchSize = 64,
                LearningRateSchedule = new CosineAnnealingSchedule(),
                NumberOfThreads = CnnBench.Threads,
                Seed = 1,
            }))
            .Fit(split.TrainSet);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet)).MicroAccuracy;
        if (keepIn is not null)
        {
            Directory.CreateDirectory(keepIn);
        }

        // Written beside and then moved, so a run stopped mid-write never leaves a truncated file for the next one to reuse.
        var partial = path + ".partial";
        Safetensors.SaveStateDict(partial, model.LastTransformer.Network.state_dict());
        File.Move(partial, path, overwrite: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"yolo-pretrain\",\"size\":{size},\"items\":{rows.Count},\"heldOutFraction\":0.1,\"epochs\":{Epochs},\"heldOutAccuracy\":{accuracy:F4}}}"));
        return path;
    }

    private sealed class ItemRow
    {
        public float[] Image { get; set; } = [];

        public float Label { get; set; }
    }
}

using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;

namespace DeepLearning.Trainers;

/// <summary>Object detection on ML.NET's multiclass catalog (where ML.NET's own object-detection trainer sits).</summary>
public static class ObjectDetectionCatalog
{
    /// <summary>
    /// Trains a YOLO detector (see <see cref="ObjectDetectionTask"/>) on images with any number of objects: the
    /// label column (the options' <c>LabelColumnName</c>) is a key vector with one class per object and the task's
    /// box column holds 4 corners per object in input pixels, as ML.NET's object-detection columns and
    /// <c>SceneGenerator.ToDataView</c> lay them out. Outputs <c>PredictedLabel</c>, <c>Score</c> and
    /// <c>PredictedBoundingBoxes</c>, one entry per detection.
    /// </summary>
    /// <param name="catalog">The multiclass trainers.</param>
    /// <param name="options">The CNN trainer's options; its architecture must be a <see cref="YoloSpec"/>. Default: its defaults with <c>Architecture</c> <c>new YoloSpec()</c>, <c>LabelColumnName</c> <c>Labels</c> and <c>FeatureColumnName</c> <c>Image</c>.</param>
    /// <param name="task">Box column, anchors, loss weights and scoring thresholds. Default: <see cref="ObjectDetectionTask"/>'s defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the architecture is not a <see cref="YoloSpec"/>.</exception>
    public static ConvolutionalNeuralNetworkTrainer ObjectDetection(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ConvolutionalNeuralNetworkTrainer.Options? options = null, ObjectDetectionTask? task = null)
    {
        options ??= new() { Architecture = new YoloSpec(), LabelColumnName = "Labels", FeatureColumnName = "Image" };
        if (options.Architecture is not YoloSpec)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Architecture?.GetType().Name, $"Object detection needs options.Architecture to be a YoloSpec (with the backbone of your choice), not {options.Architecture?.GetType().Name}.");
        }

        task ??= new ObjectDetectionTask();
        task.Validate();
        return new(MlNetEnvironment.FromCatalog(catalog), task, options);
    }
}

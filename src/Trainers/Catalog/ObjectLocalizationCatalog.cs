using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Transforms.MlNet;
using Microsoft.ML;

namespace DeepLearning.Trainers;

/// <summary>Object localisation on ML.NET's multiclass catalog (where ML.NET's own object-detection trainer sits).</summary>
public static class ObjectLocalizationCatalog
{
    /// <summary>
    /// Trains a CNN of the zoo to localise at most one object per image (see <see cref="ObjectLocalizationTask"/>):
    /// the label column (the options' <c>LabelColumnName</c>) is a key vector with 0 or 1 entries per row and
    /// <paramref name="boxColumnName"/> holds its 4 corners in input pixels, as ML.NET's object-detection
    /// columns and <c>SceneGenerator.ToDataView</c> lay them out. Outputs <c>Presence</c>,
    /// <c>PredictedBoundingBox</c>, <c>Score</c> and <c>PredictedLabel</c>.
    /// </summary>
    /// <param name="catalog">The multiclass trainers.</param>
    /// <param name="options">The CNN trainer's options. Default: its defaults, with <c>LabelColumnName</c> <c>Labels</c> and <c>FeatureColumnName</c> <c>Image</c>.</param>
    /// <param name="boxColumnName">The box column. Default <c>Boxes</c>.</param>
    public static ConvolutionalNeuralNetworkTrainer ObjectLocalization(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ConvolutionalNeuralNetworkTrainer.Options? options = null, string boxColumnName = "Boxes")
        => new(MlNetEnvironment.FromCatalog(catalog), new ObjectLocalizationTask(boxColumnName), options ?? new() { LabelColumnName = "Labels", FeatureColumnName = "Image" });
}

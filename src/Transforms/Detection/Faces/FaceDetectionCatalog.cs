using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Detection.Faces;
using Microsoft.ML;

namespace DeepLearning.Transforms;

/// <summary>The pretrained face detector on ML.NET's transforms catalog.</summary>
public static class FaceDetectionCatalog
{
    /// <summary>
    /// Image column → the faces in each image, as ML.NET's object-detection columns (see
    /// <see cref="FaceDetectionEstimator"/>): face-api's TinyFaceDetector loaded from its TF.js weights.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="manifestPath">Path of face-api's <c>tiny_face_detector_model-weights_manifest.json</c>; its <c>.bin</c> shard lies next to it. Read by <c>Fit</c>; a saved model holds the weights itself.</param>
    /// <param name="inputColumnName">The image column: <c>MLImage</c> (<c>LoadImages</c>), encoded image bytes or image file paths. Default <c>Image</c>.</param>
    /// <param name="options">Input size and thresholds; <see langword="null"/>: face-api's defaults (see <see cref="FaceDetectorOptions"/>).</param>
    /// <exception cref="ArgumentException">An argument or option is empty or out of range (the message names it).</exception>
    public static FaceDetectionEstimator DetectFaces(this TransformsCatalog catalog, string manifestPath, string inputColumnName = FaceDetectionColumns.DefaultInput, FaceDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FaceDetectionEstimator(manifestPath, inputColumnName, options ?? new FaceDetectorOptions());
    }
}

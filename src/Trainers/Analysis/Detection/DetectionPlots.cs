using System.Globalization;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Writes detection results as PNG files (OxyPlot): precision/recall curves per class and images with their predicted and true boxes.</summary>
public static class DetectionPlots
{
    /// <summary>Writes the precision/recall curves at IoU 0.5 of the classes with ground truth, one line per class (COCO's interpolated precision at the 101 recall levels), AP in the legend.</summary>
    /// <param name="evaluation">The metrics from <see cref="DetectionMetrics"/>.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static void PrecisionRecall(DetectionEvaluation evaluation, string path, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var o = Plots.Checked(options, path);
        var title = o.Title ?? string.Create(CultureInfo.InvariantCulture, $"Precision/recall at IoU 0.5 (mAP@0.5 {evaluation.MeanAveragePrecision50:0.000})");
        PlotFile.Write(PrecisionRecallPlot.Build(evaluation, title), path, o.Width, o.Height);
    }

    /// <summary>Writes images as a grid with their predicted boxes (red, labelled with class and score) and ground-truth boxes (green, dashed) drawn over them.</summary>
    /// <param name="images">The images, each planar <c>[channels, height, width]</c> (each stretched from its own minimum to its maximum).</param>
    /// <param name="imageShape">The shape of every image: <c>[channels, height, width]</c> with 1 or 3 channels.</param>
    /// <param name="detections">Ground truth and predictions of each image, boxes in pixels of the image.</param>
    /// <param name="classNames">The class names (labels are indices into them).</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="minScore">Predictions scoring below this are not drawn. Default 0.5; any finite value.</param>
    /// <param name="columns">Tiles per row. Default 4; must be positive.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The counts or sizes disagree, a detection is inconsistent, or an option is invalid.</exception>
    public static void Detections(
        IReadOnlyList<float[]> images,
        IReadOnlyList<int> imageShape,
        IReadOnlyList<DetectionImage> detections,
        IReadOnlyList<string> classNames,
        string path,
        float minScore = 0.5f,
        int columns = 4,
        PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(detections);
        OptionCheck.RequireNames(classNames, nameof(classNames));
        OptionCheck.Require(float.IsFinite(minScore), minScore, nameof(minScore), "finite");
        OptionCheck.Require(columns > 0, columns, nameof(columns), "positive");
        var o = Plots.Checked(options, path);
        var (c, h, w) = Plots.CheckShape(imageShape);
        if (detections.Count != images.Count)
        {
            throw new ArgumentException($"There are {images.Count} images but {detections.Count} detections; give one per image.", nameof(detections));
        }

        for (var i = 0; i < detections.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(detections[i], $"detections[{i}]");
            detections[i].Validate(i, classNames.Count, DetectionColumns.Properties);
        }

        var pngs = ImageTile.EncodeAll(images, c, h, w);

        var captions = detections.Select((d, i) => string.Create(CultureInfo.InvariantCulture, $"#{i}: {d.Labels.Length} true, {d.Scores.Count(s => s >= minScore)} predicted")).ToArray();
        var title = o.Title ?? string.Create(CultureInfo.InvariantCulture, $"Predictions with score ≥ {minScore:0.##} (red), ground truth (green, dashed)");
        var layout = (Math.Min(columns, Math.Max(1, images.Count)), w, h, o.Width, o.Height);
        PlotFile.Write(DetectionGridPlot.Build(pngs, detections, captions, classNames, minScore, layout, title), path, o.Width, o.Height);
    }

    /// <summary>Writes the first rows of a scored view in ML.NET's object-detection layout as a grid of images with their predicted boxes (red, labelled with class and score) and ground-truth boxes (green, dashed).</summary>
    /// <param name="scored">The scored view: images, ground truth and predictions (see <see cref="DetectionMetrics.Evaluate(Microsoft.ML.IDataView, string, string, string, string, string, int)"/> for the detection columns).</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="count">How many rows at most, from the first. Default 16; must be positive.</param>
    /// <param name="minScore">Predictions scoring below this are not drawn. Default 0.5; any finite value.</param>
    /// <param name="imageColumnName">Known-size Single vector holding each image, with image-shape annotations or <c>[C, H, W]</c> dimensions. Default <c>Image</c>.</param>
    /// <param name="labelColumnName">Ground-truth classes (vector of keys; its key values name the classes).</param>
    /// <param name="boxColumnName">Ground-truth boxes (Single vector, 4 per object, pixels).</param>
    /// <param name="predictedLabelColumnName">Predicted classes (vector of keys).</param>
    /// <param name="scoreColumnName">Scores (Single vector).</param>
    /// <param name="predictedBoxColumnName">Predicted boxes (Single vector, 4 per prediction, pixels).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, a row is inconsistent, or an option is invalid.</exception>
    public static void Detections(
        Microsoft.ML.IDataView scored,
        string path,
        int count = 16,
        float minScore = 0.5f,
        string imageColumnName = "Image",
        string labelColumnName = "Labels",
        string boxColumnName = "Boxes",
        string predictedLabelColumnName = "PredictedLabel",
        string scoreColumnName = "Score",
        string predictedBoxColumnName = "PredictedBoundingBoxes",
        PlotOptions? options = null)
    {
        OptionCheck.Require(count > 0, count, nameof(count), "positive");
        Plots.Checked(options, path);
        var columns = new DetectionColumns(boxColumnName, labelColumnName, predictedBoxColumnName, predictedLabelColumnName, scoreColumnName);
        var (detections, classNames) = DetectionRows.Read(scored, columns, count);
        var (images, shape) = DetectionRows.ReadImages(scored, imageColumnName, count);
        for (var i = 0; i < images.Count; i++)
        {
            detections[i].Validate(i, classNames.Count, columns);
        }

        Detections(images, [shape.C, shape.H, shape.W], detections, classNames, path, minScore, options: options);
    }
}

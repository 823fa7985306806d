using System.Globalization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// Writes the results of training as PNG files (through OxyPlot on SkiaSharp): learning curves,
/// confusion matrices and grids of labelled images such as the most confidently wrong predictions.
/// </summary>
public static class Plots
{
    /// <summary>Writes the learning curves of a run: loss per epoch (top panel) and the metric per epoch (bottom panel), training against validation, best epoch marked.</summary>
    /// <param name="history">The history of a run, e.g. the trained model's training history; must have at least one epoch.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="metricName">Name of the objective metric for the lower panel, e.g. <c>accuracy</c>.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The history is empty or an option is invalid.</exception>
    public static void LearningCurves(TrainingHistory history, string path, string metricName = "metric", PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("The training history has no epochs to plot.", nameof(history));
        }

        OptionCheck.RequireName(metricName, nameof(metricName));
        var o = Checked(options, path);
        PlotFile.Write(LearningCurvePlot.Build(history, metricName, o.Title ?? "Learning curves"), path, o.Width, o.Height);
    }

    /// <summary>Writes the confusion matrix of a view scored by a multiclass model as a heat map with the numbers in the cells; class names come from the label's key values. Rows with a missing label or prediction are left out.</summary>
    /// <param name="scored">The scored view.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="normalized">Whether to show each row as fractions of the true class (otherwise counts).</param>
    /// <param name="labelColumnName">Key column of the true classes.</param>
    /// <param name="predictedLabelColumnName">Key column of the predicted classes with the label's class count, or text naming them (after <c>MapKeyToValue</c>).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or an option is invalid.</exception>
    public static void ConfusionMatrix(
        IDataView scored,
        string path,
        bool normalized = false,
        string labelColumnName = "Label",
        string predictedLabelColumnName = "PredictedLabel",
        PlotOptions? options = null)
    {
        var o = Checked(options, path);
        WriteConfusion(ConfusionTable.FromScored(scored, labelColumnName, predictedLabelColumnName), path, normalized, o);
    }

    /// <summary>Writes the confusion matrix of true against predicted class names as a heat map with the numbers in the cells.</summary>
    /// <param name="trueLabels">True class of each row.</param>
    /// <param name="predictedLabels">Predicted class of each row.</param>
    /// <param name="classNames">The classes, in the order of the axes; every label must be one of them.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="normalized">Whether to show each row as fractions of the true class (otherwise counts).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The lengths differ, a label is not among the classes, or an option is invalid.</exception>
    public static void ConfusionMatrix(
        IReadOnlyList<string> trueLabels,
        IReadOnlyList<string> predictedLabels,
        IReadOnlyList<string> classNames,
        string path,
        bool normalized = false,
        PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predictedLabels);
        ArgumentNullException.ThrowIfNull(classNames);
        var o = Checked(options, path);
        WriteConfusion(ConfusionTable.FromNames(classNames, trueLabels, predictedLabels), path, normalized, o);
    }

    /// <summary>Writes images as a grid of tiles, each under its caption. Each image is stretched from its own minimum to its maximum.</summary>
    /// <param name="images">The images, each planar <c>[channels, height, width]</c>.</param>
    /// <param name="captions">One caption per image.</param>
    /// <param name="imageShape">The shape of every image: <c>[channels, height, width]</c> with 1 (grey) or 3 (RGB) channels.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="columns">Tiles per row; must be positive.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The counts or sizes disagree, or an option is invalid.</exception>
    public static void ImageGrid(IReadOnlyList<float[]> images, IReadOnlyList<string> captions, IReadOnlyList<int> imageShape, string path, int columns = 8, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(captions);
        var o = Checked(options, path);
        OptionCheck.Require(columns > 0, columns, nameof(columns), "positive");
        var (c, h, w) = CheckShape(imageShape);
        if (captions.Count != images.Count)
        {
            throw new ArgumentException($"There are {images.Count} images but {captions.Count} captions; give one caption per image.", nameof(captions));
        }

        var pngs = ImageTile.EncodeAll(images, c, h, w);
        var model = ImageGridPlot.Build(pngs, captions, Math.Min(columns, Math.Max(1, images.Count)), (double)w / h, o.Width, o.Height, o.Title);
        PlotFile.Write(model, path, o.Width, o.Height);
    }

    /// <summary>Writes the misclassified images the model was most sure about as a grid, each titled "true → predicted (score)".</summary>
    /// <param name="images">The images, each planar <c>[channels, height, width]</c>.</param>
    /// <param name="imageShape">The shape of every image: <c>[channels, height, width]</c> with 1 or 3 channels.</param>
    /// <param name="trueLabels">True class of each image.</param>
    /// <param name="predictedLabels">Predicted class of each image.</param>
    /// <param name="scores">Score (e.g. probability) of the predicted class of each image.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="count">How many images at most; must be positive.</param>
    /// <param name="columns">Tiles per row; must be positive.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <returns>The rows shown, most confident first.</returns>
    /// <exception cref="ArgumentException">The counts or sizes disagree, or an option is invalid.</exception>
    public static IReadOnlyList<int> MostConfidentlyWrong(
        IReadOnlyList<float[]> images,
        IReadOnlyList<int> imageShape,
        IReadOnlyList<string> trueLabels,
        IReadOnlyList<string> predictedLabels,
        IReadOnlyList<float> scores,
        string path,
        int count = 16,
        int columns = 4,
        PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(trueLabels);
        ArgumentNullException.ThrowIfNull(predictedLabels);
        ArgumentNullException.ThrowIfNull(scores);
        OptionCheck.Require(count > 0, count, nameof(count), "positive");
        Checked(options, path);
        if (images.Count != trueLabels.Count)
        {
            throw new ArgumentException($"There are {images.Count} images but {trueLabels.Count} trueLabels; give one per image.", nameof(trueLabels));
        }

        var rows = WrongPredictions.MostConfident(trueLabels, predictedLabels, scores, count);
        var captions = rows.Select(i => string.Create(CultureInfo.InvariantCulture, $"{trueLabels[i]} → {predictedLabels[i]} ({scores[i]:0.00})")).ToArray();
        var o = options ?? new PlotOptions();
        var titled = new PlotOptions { Width = o.Width, Height = o.Height, Title = o.Title ?? "Most confidently wrong" };
        ImageGrid(rows.Select(i => images[i]).ToArray(), captions, imageShape, path, columns, titled);
        return rows;
    }

    /// <summary>Writes the misclassified images of a view scored by a multiclass model that it was most sure about, each titled "true → predicted (score)".</summary>
    /// <param name="scored">The scored view: label and predicted-label keys, a score vector and the image features.</param>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="count">How many images at most; must be positive.</param>
    /// <param name="featureColumnName">Vector of Single holding each image, with the image shape annotations or <c>[C, H, W]</c> dimensions.</param>
    /// <param name="labelColumnName">Key column of the true classes.</param>
    /// <param name="predictedLabelColumnName">Key column of the predicted classes, or text naming them (after <c>MapKeyToValue</c>).</param>
    /// <param name="scoreColumnName">Score vector, one slot per class.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <returns>The 0-based rows shown, most confident first. Rows with a missing label or prediction are never shown.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or an option is invalid.</exception>
    public static IReadOnlyList<int> MostConfidentlyWrong(
        IDataView scored,
        string path,
        int count = 16,
        string featureColumnName = "Features",
        string labelColumnName = "Label",
        string predictedLabelColumnName = "PredictedLabel",
        string scoreColumnName = "Score",
        PlotOptions? options = null)
    {
        OptionCheck.Require(count > 0, count, nameof(count), "positive");
        Checked(options, path);
        var rows = ScoredRows.Read(scored, labelColumnName, predictedLabelColumnName, scoreColumnName, featureColumnName);
        var kept = rows.Labelled();
        var shown = MostConfidentlyWrong(
            kept.Select(i => rows.Images[i]).ToArray(),
            [rows.ImageShape.C, rows.ImageShape.H, rows.ImageShape.W],
            kept.Select(i => rows.ClassNames[rows.Truth[i]]).ToArray(),
            kept.Select(i => rows.ClassNames[rows.Predicted[i]]).ToArray(),
            kept.Select(i => rows.Scores[i]).ToArray(),
            path,
            count,
            options: options);
        return shown.Select(i => kept[i]).ToArray();
    }

    /// <summary>Writes a confusion table as a heat map.</summary>
    /// <param name="table">The counts.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="normalized">Whether cells show row fractions.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    internal static void WriteConfusion(ConfusionTable table, string path, bool normalized, PlotOptions? options)
    {
        var o = Checked(options, path);
        var title = o.Title ?? (normalized ? "Confusion matrix (row-normalised)" : "Confusion matrix");
        PlotFile.Write(ConfusionMatrixPlot.Build(table, normalized, title), path, o.Width, o.Height);
    }

    /// <summary>The options or the defaults, validated, and the path checked.</summary>
    internal static PlotOptions Checked(PlotOptions? options, string path)
    {
        var o = options ?? new PlotOptions();
        o.Validate();
        OptionCheck.RequireName(path, nameof(path));
        return o;
    }

    /// <summary>Checks an image shape <c>[channels, height, width]</c> with 1 or 3 channels.</summary>
    internal static (int C, int H, int W) CheckShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        OptionCheck.Require(shape.Count == 3 && shape[0] is 1 or 3 && shape[1] > 0 && shape[2] > 0, "[" + string.Join(", ", shape) + "]", "imageShape", "[channels, height, width] with 1 or 3 channels and positive sizes");
        return (shape[0], shape[1], shape[2]);
    }
}

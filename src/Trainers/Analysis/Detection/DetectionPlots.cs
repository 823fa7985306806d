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
        var o = Checked(options, path);
        var title = o.Title ?? string.Create(CultureInfo.InvariantCulture, $"Precision/recall at IoU 0.5 (mAP@0.5 {evaluation.MeanAveragePrecision50:0.000})");
        PlotFile.Write(PrecisionRecallPlot.Build(evaluation, title), path, o.Width, o.Height);
    }

    private static PlotOptions Checked(PlotOptions? options, string path)
    {
        var o = options ?? new PlotOptions();
        o.Validate();
        OptionCheck.RequireName(path, nameof(path));
        return o;
    }
}

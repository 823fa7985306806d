namespace DeepLearning.Trainers.Analysis;

/// <summary>COCO-style detection metrics of a set of images (see <see cref="DetectionMetrics"/>).</summary>
/// <param name="MeanAveragePrecision50">mAP@0.5: the mean over classes with ground truth of their AP at IoU 0.5; NaN when no class has ground truth.</param>
/// <param name="MeanAveragePrecision50To95">mAP@[0.5:0.95]: the mean over classes with ground truth of their AP averaged over IoU 0.50, 0.55, …, 0.95 (COCO's headline AP); NaN when no class has ground truth.</param>
/// <param name="PerClass">One entry per class, in class order (classes without ground truth included, with NaN AP).</param>
public sealed record DetectionEvaluation(double MeanAveragePrecision50, double MeanAveragePrecision50To95, IReadOnlyList<ClassAveragePrecision> PerClass)
{
    /// <summary>Writes the precision/recall curves at IoU 0.5 of the classes with ground truth, one line per class (COCO's interpolated precision at the 101 recall levels), AP in the legend.</summary>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void WritePrecisionRecallPlot(string path, PlotOptions? options = null) => DetectionPlots.PrecisionRecall(this, path, options);
}

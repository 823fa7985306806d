namespace DeepLearning.Trainers.Analysis;

/// <summary>The average precision of one class.</summary>
/// <param name="ClassName">The class.</param>
/// <param name="GroundTruthCount">Ground-truth objects of the class over all images.</param>
/// <param name="PredictionCount">Predictions of the class that were evaluated (after the per-image limit).</param>
/// <param name="AveragePrecision50">AP at IoU 0.5; NaN for a class without ground truth.</param>
/// <param name="AveragePrecision50To95">AP averaged over the IoU thresholds 0.50, 0.55, …, 0.95; NaN for a class without ground truth.</param>
/// <param name="Curve50">The precision/recall curve at IoU 0.5; <see langword="null"/> for a class without ground truth.</param>
public sealed record ClassAveragePrecision(
    string ClassName,
    int GroundTruthCount,
    int PredictionCount,
    double AveragePrecision50,
    double AveragePrecision50To95,
    PrecisionRecallCurve? Curve50);

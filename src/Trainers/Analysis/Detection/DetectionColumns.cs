namespace DeepLearning.Trainers.Analysis;

/// <summary>The names given in messages to the five parts of a <see cref="DetectionImage"/>: the view's column names, or the record's property names.</summary>
/// <param name="Boxes">Ground-truth boxes.</param>
/// <param name="Labels">Ground-truth classes.</param>
/// <param name="PredictedBoxes">Predicted boxes.</param>
/// <param name="PredictedLabels">Predicted classes.</param>
/// <param name="Scores">Scores of the predictions.</param>
internal sealed record DetectionColumns(string Boxes, string Labels, string PredictedBoxes, string PredictedLabels, string Scores)
{
    /// <summary>The property names of <see cref="DetectionImage"/>, for images given as arrays.</summary>
    public static DetectionColumns Properties { get; } = new(
        nameof(DetectionImage.Boxes),
        nameof(DetectionImage.Labels),
        nameof(DetectionImage.PredictedBoxes),
        nameof(DetectionImage.PredictedLabels),
        nameof(DetectionImage.Scores));
}

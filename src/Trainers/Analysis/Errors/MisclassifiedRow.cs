namespace DeepLearning.Trainers.Analysis;

/// <summary>A row the classifier got wrong.</summary>
/// <param name="Row">0-based position of the row in the scored view.</param>
/// <param name="TrueLabel">The true class.</param>
/// <param name="PredictedLabel">The predicted class.</param>
public sealed record MisclassifiedRow(int Row, string TrueLabel, string PredictedLabel);

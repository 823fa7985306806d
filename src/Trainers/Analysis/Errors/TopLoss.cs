namespace DeepLearning.Trainers.Analysis;

/// <summary>One row among a classifier's highest losses.</summary>
/// <param name="Row">0-based position of the row in the scored view.</param>
/// <param name="TrueLabel">The true class.</param>
/// <param name="PredictedLabel">The predicted class.</param>
/// <param name="TrueClassProbability">The score (probability) the model gave the true class.</param>
/// <param name="Loss">The cross-entropy loss of the row, −ln p(true class) (p floored at 1e-12 so a zero stays finite).</param>
public sealed record TopLoss(int Row, string TrueLabel, string PredictedLabel, double TrueClassProbability, double Loss);

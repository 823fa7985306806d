namespace DeepLearning.Transforms.Scoring;

/// <summary>The ML task a network's outputs answer; it decides the output columns.</summary>
public enum PredictionKind
{
    /// <summary>One logit: <c>Score</c> (logit), <c>Probability</c> (sigmoid) and <c>PredictedLabel</c> (bool).</summary>
    BinaryClassification,

    /// <summary>One logit per class: <c>Score</c> (softmax vector) and <c>PredictedLabel</c> (key).</summary>
    MulticlassClassification,

    /// <summary>One value: <c>Score</c>.</summary>
    Regression,
}

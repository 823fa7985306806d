namespace DeepLearning.Transforms.Heads;

/// <summary>The default names of the columns heads append (ML.NET's conventions where it has one).</summary>
public static class HeadColumnNames
{
    /// <summary><c>Score</c>: class probabilities, a logit or a regression value.</summary>
    public const string Score = "Score";

    /// <summary><c>Probability</c>: the calibrated probability of a binary classifier.</summary>
    public const string Probability = "Probability";

    /// <summary><c>PredictedLabel</c>: the predicted class.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary><c>PredictedBoundingBoxes</c>: a detector's boxes, 4 corner values per detection (ML.NET's object-detection column).</summary>
    public const string PredictedBoundingBoxes = "PredictedBoundingBoxes";

    /// <summary><c>Embedding</c>: an L2-normalised embedding vector.</summary>
    public const string Embedding = "Embedding";
}

using Microsoft.ML.Data;

namespace DeepLearning.Samples.Shared;

/// <summary>A row for the prediction engine: the pixels of a 28×28 grey image and the true label.</summary>
internal sealed class ImageInput
{
    /// <summary>The 784 pixels in [0, 1], row-major, as one image of shape [1, 28, 28].</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    /// <summary>The true class index.</summary>
    public float Label { get; set; }
}

/// <summary>The prediction engine's output: the class (mapped back to its Single label) and the class scores.</summary>
internal sealed class ImagePrediction
{
    /// <summary>The predicted class index.</summary>
    public float PredictedLabel { get; set; }

    /// <summary>The score of each class.</summary>
    public float[] Score { get; set; } = [];
}

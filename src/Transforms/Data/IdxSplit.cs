namespace DeepLearning.Transforms.Data;

/// <summary>Which part of an MNIST-style data set to read.</summary>
public enum IdxSplit
{
    /// <summary>The training images and labels (files starting with <c>train</c>).</summary>
    Train,

    /// <summary>The test images and labels (files starting with <c>t10k</c>).</summary>
    Test,
}

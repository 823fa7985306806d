namespace DeepLearning.Transforms.Detection;

/// <summary>A face found by <see cref="FaceDetector"/>: its box in the original image's pixels and its score.</summary>
/// <param name="Left">Left edge (x of the top-left corner) in pixels; may lie outside the image for a face cut by its edge.</param>
/// <param name="Top">Top edge in pixels.</param>
/// <param name="Right">Right edge in pixels.</param>
/// <param name="Bottom">Bottom edge in pixels.</param>
/// <param name="Score">Confidence in (0, 1): the sigmoid of the objectness.</param>
public sealed record DetectedFace(float Left, float Top, float Right, float Bottom, float Score)
{
    /// <summary>Width of the box in pixels.</summary>
    public float Width => Right - Left;

    /// <summary>Height of the box in pixels.</summary>
    public float Height => Bottom - Top;
}

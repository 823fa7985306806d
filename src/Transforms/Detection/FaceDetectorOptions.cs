using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Transforms.Detection;

/// <summary>How <see cref="FaceDetector"/> runs. The defaults are face-api's (<c>TinyFaceDetectorOptions</c>).</summary>
public sealed record FaceDetectorOptions
{
    /// <summary>Side of the square the image is padded and resized to. Default 416; a multiple of 32 in [64, 2048] (smaller is faster and finds fewer small faces).</summary>
    public int InputSize { get; init; } = 416;

    /// <summary>A candidate is kept when its score is above this. Default 0.5; in (0, 1).</summary>
    public double ScoreThreshold { get; init; } = 0.5;

    /// <summary>A face is dropped when it overlaps a kept, higher-scored face with IoU above this. Default 0.4; in [0, 1].</summary>
    public double IouThreshold { get; init; } = 0.4;

    /// <summary>The network these options run: face-api's TinyFaceDetector at <see cref="InputSize"/>.</summary>
    internal TinyYoloV2Spec Network => new() { InputSize = InputSize };

    /// <summary>Throws an exception naming the first invalid option and its value.</summary>
    public void Validate()
    {
        Network.Validate();
        OptionCheck.Require(ScoreThreshold is > 0 and < 1, ScoreThreshold, nameof(ScoreThreshold), "in (0, 1)");
        OptionCheck.Require(IouThreshold is >= 0 and <= 1, IouThreshold, nameof(IouThreshold), "in [0, 1]");
    }
}

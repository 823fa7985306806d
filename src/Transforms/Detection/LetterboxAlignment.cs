namespace DeepLearning.Transforms.Detection;

/// <summary>Where a letterboxed image sits inside its square: the padding goes on both sides or after it.</summary>
public enum LetterboxAlignment
{
    /// <summary>Centred: the padding is split between both sides (YOLOv5's letterbox).</summary>
    Centre,

    /// <summary>Top-left: all padding goes to the right and the bottom (face-api's TinyFaceDetector).</summary>
    TopLeft,
}

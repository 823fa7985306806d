namespace DeepLearning.Transforms.Inputs;

/// <summary>The order of the colour channels along the first axis of a colour image's <c>[3, H, W]</c> tensor.</summary>
public enum ImageChannelOrder
{
    /// <summary>Red, green, blue (torchvision, PIL).</summary>
    Rgb,

    /// <summary>Blue, green, red (OpenCV, Caffe).</summary>
    Bgr,
}

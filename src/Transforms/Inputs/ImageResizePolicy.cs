namespace DeepLearning.Transforms.Inputs;

/// <summary>How an image of another size than the network's input becomes <c>Width × Height</c>.</summary>
public enum ImageResizePolicy
{
    /// <summary>No resizing: every image must already be <c>Width × Height</c>; another size is an error naming both sizes.</summary>
    None,

    /// <summary>Scales each axis to the target size, changing the aspect ratio when it differs (as Keras does by default).</summary>
    Stretch,

    /// <summary>Letterbox: scales the whole image to fit inside the target keeping its aspect ratio, centred, with black (0) bars.</summary>
    Pad,

    /// <summary>Scales the image to cover the target keeping its aspect ratio and cuts the centre out.</summary>
    CenterCrop,
}

using DeepLearning.Transforms.Featurizers;
using Microsoft.ML;

namespace DeepLearning.Transforms;

/// <summary>The image featurizer on ML.NET's transforms catalog.</summary>
public static class ImageFeaturizerCatalog
{
    /// <summary>
    /// Image column → feature vector from the backbone of a pretrained classifier (see
    /// <see cref="ImageFeaturizerEstimator"/>), for any ML.NET trainer to learn from.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The architecture, the weight file, the columns and the image options.</param>
    /// <exception cref="ArgumentException">An option is missing or invalid (the message names it).</exception>
    public static ImageFeaturizerEstimator ImageFeaturizer(this TransformsCatalog catalog, ImageFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageFeaturizerEstimator(options);
    }
}

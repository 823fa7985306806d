using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Options every network trainer shares on top of the training loop's: the input side (columns,
/// normalisation). Each property documents its default and valid range.
/// </summary>
public abstract class NetworkTrainerOptions : TrainingOptions
{
    /// <summary>
    /// Standardise the features per channel, <c>(x − mean) / std</c>, with the mean and standard deviation
    /// of the training data (channels: the first axis of an image-shaped input, each feature of a flat
    /// one). Saved with the model and applied when scoring. Default <see langword="false"/>.
    /// Ignored when <see cref="FeatureNormalization"/> is given.
    /// </summary>
    public bool NormalizeFeatures { get; set; }

    /// <summary>Given per-channel mean and standard deviation to standardise the features with. Default <see langword="null"/>: none (or computed, see <see cref="NormalizeFeatures"/>).</summary>
    public InputNormalization? FeatureNormalization { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (FeatureNormalization is { } given)
        {
            ArgumentNullException.ThrowIfNull(given.Mean, $"{nameof(FeatureNormalization)}.{nameof(given.Mean)}");
            ArgumentNullException.ThrowIfNull(given.Std, $"{nameof(FeatureNormalization)}.{nameof(given.Std)}");
            OptionCheck.Require(given.Std.Length == given.Mean.Length, given.Std.Length, $"{nameof(FeatureNormalization)}.Std.Length", $"equal to Mean.Length ({given.Mean.Length})");
        }
    }
}

using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Options every network trainer shares on top of the training loop's: the input side (columns,
/// normalisation). Each property documents its default and valid range.
/// </summary>
public abstract class NetworkTrainerOptions : TrainingOptions
{
    /// <summary>Name of the label column. Default <c>Label</c>; not empty. Multi-task trainers (<c>DeepNeuralNetworkMultiTask</c>, <c>ConvolutionalNeuralNetworkMultiTask</c>) take their label columns from the catalog method and ignore it.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Name of the features column (a vector of <see cref="float"/>; trainers of image networks also read image, encoded-bytes and path columns). Default <c>Features</c>; not empty.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// Where batches come from. Default <see cref="BatchSourceMode.Auto"/>: the training data is cached
    /// once as one tensor when its examples fit in <see cref="MaxCacheBytes"/>, and streamed through a
    /// cursor (read ahead on a background thread, still shuffled) when they do not. The log says which.
    /// </summary>
    public BatchSourceMode DataSource { get; set; } = BatchSourceMode.Auto;

    /// <summary>
    /// Largest training (and validation) set, in bytes of examples, that is cached as one tensor; larger
    /// data streams (or, with <see cref="DataSource"/> = <see cref="BatchSourceMode.Cached"/>, is refused
    /// naming this option). Default 2 GiB; at least 1.
    /// </summary>
    public long MaxCacheBytes { get; set; } = 2L << 30;

    /// <summary>
    /// Standardise the features per channel, <c>(x − mean) / std</c>, with the mean and standard deviation
    /// of the training data (channels: the first axis of an image-shaped input, each feature of a flat
    /// one). Saved with the model and applied when scoring. Default <see langword="false"/>.
    /// Ignored when <see cref="FeatureNormalization"/> is given.
    /// </summary>
    public bool NormalizeFeatures { get; set; }

    /// <summary>Given per-channel mean and standard deviation to standardise the features with. Default <see langword="null"/>: none (or computed, see <see cref="NormalizeFeatures"/>).</summary>
    public InputNormalization? FeatureNormalization { get; set; }

    /// <summary>
    /// Validation data for <c>Fit(input)</c> — the way to validate when the trainer is fitted inside a
    /// pipeline (as ML.NET's image classification trainer's <c>ValidationSet</c>): early stopping,
    /// plateau schedules and the per-epoch validation metrics use it. It must hold the columns the trainer
    /// reads: inside a pipeline, pass it through the steps before the trainer first. Default <see langword="null"/>: <see cref="TrainingOptions.ValidationFraction"/> of the
    /// training rows, if set. <c>Fit(input, validation)</c> overrides it.
    /// </summary>
    public Microsoft.ML.IDataView? ValidationSet { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        OptionCheck.RequireName(LabelColumnName, nameof(LabelColumnName));
        OptionCheck.RequireName(FeatureColumnName, nameof(FeatureColumnName));
        OptionCheck.RequireDefined(DataSource, nameof(DataSource));
        OptionCheck.Require(MaxCacheBytes >= 1, MaxCacheBytes, nameof(MaxCacheBytes), "at least 1");
        if (FeatureNormalization is { } given)
        {
            ArgumentNullException.ThrowIfNull(given.Mean, $"{nameof(FeatureNormalization)}.{nameof(given.Mean)}");
            ArgumentNullException.ThrowIfNull(given.Std, $"{nameof(FeatureNormalization)}.{nameof(given.Std)}");
            OptionCheck.Require(given.Std.Length == given.Mean.Length, given.Std.Length, $"{nameof(FeatureNormalization)}.Std.Length", $"equal to Mean.Length ({given.Mean.Length})");
        }
    }
}

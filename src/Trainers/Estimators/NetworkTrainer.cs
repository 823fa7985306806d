using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Trains any network for any task: the network comes from a function of the input shape and the
/// number of outputs, the input adapter from the features column's type (a known-size vector of
/// Single, an <c>MLImage</c> column, encoded image bytes or image file paths).
/// </summary>
internal sealed class NetworkTrainer : NetworkTrainerBase<NetworkTrainer.Options>
{
    private readonly Func<IReadOnlyList<long>, int, NetworkSpec> _createSpec;

    /// <summary>Creates the trainer and validates the options.</summary>
    /// <param name="environment">The ML.NET environment (an <see cref="MLContext"/>).</param>
    /// <param name="task">The task.</param>
    /// <param name="options">The options.</param>
    /// <param name="createSpec">The network for a per-row input shape and a number of outputs.</param>
    public NetworkTrainer(IHostEnvironment environment, TrainingTask task, Options options, Func<IReadOnlyList<long>, int, NetworkSpec> createSpec)
        : base(environment, task, options, nameof(NetworkTrainer))
        => _createSpec = createSpec ?? throw new ArgumentNullException(nameof(createSpec));

    /// <inheritdoc />
    private protected override NetworkSpec CreateSpec(IReadOnlyList<long> inputShape, int outputs) => _createSpec(inputShape, outputs);

    /// <summary>The adapter the features column's type calls for, shaped by <see cref="Options.FeatureShape"/> and <see cref="Options.Image"/>.</summary>
    /// <param name="schema">The training data's schema.</param>
    private protected override InputAdapter CreateInput(DataViewSchema schema)
        => InputAdapters.ForColumn(schema, TrainerOptions.FeatureColumnName, TrainerOptions.FeatureShape, TrainerOptions.Image);

    /// <summary>Options of <see cref="NetworkTrainer"/>: the input shape or image options plus the shared trainer and loop options.</summary>
    internal sealed class Options : NetworkTrainerOptions
    {
        /// <summary>
        /// Per-row shape of a vector features column, e.g. <c>[1, 28, 28]</c> for a vector of 784; its
        /// product must be the vector size. Default <see langword="null"/>: the column's dimensions.
        /// For an image column it must be <see langword="null"/> or <c>[Channels, Height, Width]</c> of <see cref="Image"/>.
        /// </summary>
        public long[]? FeatureShape { get; set; }

        /// <summary>How images become tensors when the features column holds images. Default <see langword="null"/>: <see cref="ImageInputOptions"/>' defaults.</summary>
        public ImageInputOptions? Image { get; set; }

        /// <inheritdoc />
        public override void Validate()
        {
            base.Validate();
            if (FeatureShape is { } shape)
            {
                OptionCheck.Require(shape.Length >= 1, shape.Length, $"{nameof(FeatureShape)}.Length", "at least 1");
                for (var i = 0; i < shape.Length; i++)
                {
                    OptionCheck.Require(shape[i] >= 1, shape[i], $"{nameof(FeatureShape)}[{i}]", "at least 1");
                }
            }

            Image?.Validate();
        }
    }
}

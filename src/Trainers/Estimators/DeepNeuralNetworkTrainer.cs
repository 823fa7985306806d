using DeepLearning.Trainers.Tasks;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Trains a fully connected network (<see cref="DeepNeuralNetwork"/>) for any task: binary or
/// multiclass classification, regression, embeddings. With no hidden layers it is logistic
/// (softmax) regression, with one a shallow network, with several a deep one. Create it through the
/// catalogs, e.g. <c>mlContext.MulticlassClassification.Trainers.DeepNeuralNetwork(...)</c>.
/// </summary>
public sealed class DeepNeuralNetworkTrainer : NetworkTrainerBase<DeepNeuralNetworkTrainer.Options>
{
    internal DeepNeuralNetworkTrainer(IHostEnvironment environment, TrainingTask task, Options options)
        : base(environment, task, options, nameof(DeepNeuralNetworkTrainer))
    {
    }

    /// <inheritdoc />
    private protected override NetworkSpec CreateSpec(IReadOnlyList<long> inputShape, int outputs)
        => TrainerOptions.ToSpec(checked((int)inputShape.Aggregate(1L, (a, b) => a * b)), outputs);

    /// <summary>The features column as a flat vector: a fully connected network ignores an image shape.</summary>
    /// <param name="schema">The training data's schema.</param>
    private protected override InputAdapter CreateInput(DataViewSchema schema)
    {
        var column = VectorInput.FromSchema(schema, TrainerOptions.FeatureColumnName);
        return VectorInput.FromSchema(schema, TrainerOptions.FeatureColumnName, [column.Length]);
    }

    /// <summary>Options of <see cref="DeepNeuralNetworkTrainer"/>: the architecture plus the shared trainer and loop options.</summary>
    public sealed class Options : NetworkTrainerOptions
    {
        /// <summary>Sizes of the hidden layers, input side first; each at least 1. Default <c>[128]</c>; empty: logistic regression.</summary>
        public int[] HiddenLayers { get; set; } = [128];

        /// <summary>Hidden-layer activation. Default <see cref="Activation.ReLU"/>.</summary>
        public Activation Activation { get; set; } = Activation.ReLU;

        /// <summary>Negative slope of <see cref="Activation.LeakyReLU"/>. Default 0.01; in [0, 1).</summary>
        public double LeakyReluSlope { get; set; } = 0.01;

        /// <summary>Dropout probability after hidden layers: empty (none, default), one value for all, or one per hidden layer; each in [0, 1).</summary>
        public double[] Dropout { get; set; } = [];

        /// <summary>Batch normalisation after each hidden linear layer. Default <see langword="false"/>.</summary>
        public bool BatchNormalization { get; set; }

        /// <summary>Weight initialisation. Default <see cref="WeightInitialization.Auto"/> (He for ReLU-like, Xavier for tanh/sigmoid).</summary>
        public WeightInitialization Initialization { get; set; } = WeightInitialization.Auto;

        /// <inheritdoc />
        public override void Validate()
        {
            base.Validate();
            ArgumentNullException.ThrowIfNull(HiddenLayers, nameof(HiddenLayers));
            ArgumentNullException.ThrowIfNull(Dropout, nameof(Dropout));
            ToSpec(1, 1).Validate();
        }

        internal DeepNeuralNetworkSpec ToSpec(int inputLength, int outputSize) => new()
        {
            InputSize = inputLength,
            OutputSize = outputSize,
            HiddenLayers = [.. HiddenLayers],
            Activation = Activation,
            LeakyReluSlope = LeakyReluSlope,
            Dropout = [.. Dropout],
            BatchNormalization = BatchNormalization,
            Initialization = Initialization,
        };
    }
}

using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML.Runtime;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Trains a fully connected network (<see cref="DeepNeuralNetwork"/>) for binary or multiclass
/// classification or regression. With no hidden layers it is logistic (softmax) regression, with
/// one a shallow network, with several a deep one. Create it through the catalogs, e.g.
/// <c>mlContext.MulticlassClassification.Trainers.DeepNeuralNetwork(...)</c>.
/// </summary>
public sealed class DeepNeuralNetworkTrainer : NetworkTrainerBase<DeepNeuralNetworkTrainer.Options>
{
    internal DeepNeuralNetworkTrainer(IHostEnvironment environment, PredictionKind kind, Options options)
        : base(environment, kind, options, nameof(DeepNeuralNetworkTrainer))
    {
    }

    /// <inheritdoc />
    private protected override NetworkSpec CreateSpec(int inputLength, int outputSize) => TrainerOptions.ToSpec(inputLength, outputSize);

    /// <summary>Options of <see cref="DeepNeuralNetworkTrainer"/>: the architecture plus the training loop's options.</summary>
    public sealed class Options : TrainingOptions
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
            if (HiddenLayers is null)
            {
                throw new ArgumentNullException(nameof(HiddenLayers), $"Option {nameof(HiddenLayers)} must not be null; use [] for logistic regression.");
            }

            if (Dropout is null)
            {
                throw new ArgumentNullException(nameof(Dropout), $"Option {nameof(Dropout)} must not be null; use [] for no dropout.");
            }

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

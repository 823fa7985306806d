using System.Text.Json.Nodes;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// Trains a convolutional network of the architecture zoo (<see cref="Options.Architecture"/>: the
/// small CNN, LeNet-5, AlexNet, VGG, ResNet, GoogLeNet, MobileNet v1/v2) end to end on images: an
/// <c>MLImage</c> column (<c>LoadImages</c>), encoded image bytes, image file paths (streamed from
/// disk when they do not fit in memory) or image-shaped pixel vectors (<c>ExtractPixels</c>, or a
/// vector with <see cref="Options.FeatureShape"/>). Random augmentation applies to training batches
/// only and is saved in the model's recipe. Create it through the catalogs, e.g.
/// <c>mlContext.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(...)</c>.
/// </summary>
public sealed class ConvolutionalNeuralNetworkTrainer : NetworkTrainerBase<ConvolutionalNeuralNetworkTrainer.Options>
{
    internal ConvolutionalNeuralNetworkTrainer(IHostEnvironment environment, TrainingTask task, Options options)
        : base(environment, task, options, nameof(ConvolutionalNeuralNetworkTrainer))
    {
    }

    /// <inheritdoc />
    private protected override NetworkSpec? Architecture => TrainerOptions.Architecture;

    /// <summary>
    /// <see cref="Options.Architecture"/> fitted to the data: its input channels, height and width become
    /// the input's and its class count the task's outputs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input is not an image <c>[C, H, W]</c>, or is too small for the architecture.</exception>
    private protected override NetworkSpec CreateSpec(IReadOnlyList<long> inputShape, int outputs)
    {
        var architecture = TrainerOptions.Architecture;
        if (inputShape.Count != 3)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Options.FeatureShape),
                $"[{string.Join(", ", inputShape)}]",
                $"Features column '{TrainerOptions.FeatureColumnName}' is read as [{string.Join(", ", inputShape)}], but {architecture.GetType().Name} needs images [Channels, Height, Width]: " +
                $"set {nameof(Options.FeatureShape)} (e.g. [1, 28, 28] for a vector of 784) or give the column image dimensions (ExtractPixels does).");
        }

        var spec = architecture with
        {
            InputChannels = checked((int)inputShape[0]),
            InputHeight = checked((int)inputShape[1]),
            InputWidth = checked((int)inputShape[2]),
            OutputSize = outputs,
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Options.Architecture),
                $"[{string.Join(", ", inputShape)}]",
                $"Option {nameof(Options.Architecture)} = {architecture.GetType().Name} cannot take the images of features column '{TrainerOptions.FeatureColumnName}' ([{string.Join(", ", inputShape)}]): {e.Message}");
        }

        return spec;
    }

    /// <summary>The adapter the features column's type calls for, shaped by <see cref="Options.FeatureShape"/> and <see cref="Options.Image"/>.</summary>
    /// <param name="schema">The training data's schema.</param>
    private protected override InputAdapter CreateInput(DataViewSchema schema)
        => InputAdapters.ForColumn(schema, TrainerOptions.FeatureColumnName, TrainerOptions.FeatureShape, TrainerOptions.Image);

    /// <summary>Loads the fine-tuning options' initial weights, if any.</summary>
    /// <param name="network">The freshly built network.</param>
    /// <param name="log">The fit's log.</param>
    private protected override void InitializeNetwork(nn.Module<Tensor, Tensor> network, Action<string> log)
    {
        if (TrainerOptions.FineTuning is { InitialWeights: not null } fineTuning)
        {
            FineTuning.LoadInitialWeights(FineTuning.Classifier(network, TrainerOptions.Architecture.GetType().Name).Classifier, fineTuning, log);
        }
    }

    /// <summary>Backbone freezing and learning rates; the augmentation, run on the pixel scale when the batches are standardised and moving the task's boxes; then the mixing.</summary>
    /// <param name="input">The input adapter.</param>
    /// <param name="outputs">The network's outputs per row.</param>
    /// <param name="network">The network to train.</param>
    private protected override TrainingHooks CreateHooks(InputAdapter input, int outputs, nn.Module<Tensor, Tensor> network)
    {
        IReadOnlyList<FreezeSpec> freezes = [];
        IReadOnlyList<ParameterGroup> groups = [];
        if (TrainerOptions.FineTuning is { } fineTuning)
        {
            var (classifier, prefix) = FineTuning.Classifier(network, TrainerOptions.Architecture.GetType().Name);
            (freezes, groups) = FineTuning.Hooks(classifier, prefix, fineTuning);
        }

        IBatchAugmentation? augmentation = null;
        if (TrainerOptions.Augmentation is { Steps.Count: > 0 } pipeline)
        {
            augmentation = pipeline.ForTraining(Task.BoxTargets, input.Normalization, input.Shape);
        }

        if (TrainerOptions.Mixing is { } mixing)
        {
            augmentation = new MixingAugmentation(mixing, (target, partner, weight) => Task.MixTargets(target, partner, weight, outputs), TrainerOptions.Seed, augmentation);
        }

        return new TrainingHooks { Augmentation = augmentation, Freezes = freezes, ParameterGroups = groups };
    }

    /// <inheritdoc />
    private protected override JsonObject CreateRecipe()
    {
        var recipe = base.CreateRecipe();
        recipe["architecture"] = NamedTypes.Write(TrainerOptions.Architecture);
        recipe["augmentation"] = TrainerOptions.Augmentation?.ToJson();
        recipe["mixing"] = TrainerOptions.Mixing is { } mixing ? NamedTypes.Write(mixing) : null;
        if (TrainerOptions.FineTuning is { } fineTuning)
        {
            recipe["initialWeights"] = fineTuning.InitialWeights is { } path ? Path.GetFileName(path) : null;
            recipe["initialWeightsSha256"] = fineTuning.WeightOptions.Sha256;
            recipe["freezeBackboneEpochs"] = fineTuning.FreezeBackboneEpochs;
            recipe["unfreezeStageEveryEpochs"] = fineTuning.UnfreezeStageEveryEpochs;
            recipe["backboneLearningRateMultiplier"] = fineTuning.BackboneLearningRateMultiplier;
            recipe["stageLearningRateDecay"] = fineTuning.StageLearningRateDecay;
        }
        return recipe;
    }

    /// <summary>
    /// Options of <see cref="ConvolutionalNeuralNetworkTrainer"/>: the architecture, how the features
    /// column becomes images, the augmentation, plus the shared trainer and loop options
    /// (<see cref="TrainingOptions.Epochs"/>, <see cref="TrainingOptions.BatchSize"/>,
    /// <see cref="TrainingOptions.LearningRate"/>, <see cref="TrainingOptions.EarlyStoppingPatience"/>,
    /// <see cref="NetworkTrainerOptions.ValidationSet"/> or <see cref="TrainingOptions.ValidationFraction"/>,
    /// and <see cref="TrainingOptions.Progress"/>, which receives each epoch's metrics).
    /// </summary>
    public sealed class Options : NetworkTrainerOptions
    {
        /// <summary>
        /// The network, e.g. <c>new ResNetSpec { Variant = ResNetVariant.ResNet20 }</c> or
        /// <c>new MobileNetV2Spec { SmallInput = true, WidthMultiplier = 0.5 }</c>. Its input channels,
        /// height, width and class count are taken from the data (any values given are replaced); the
        /// images must be at least the architecture's minimum size. Default <see cref="SmallCnnSpec"/>
        /// (two convolution blocks; 28×28 images such as Fashion-MNIST).
        /// </summary>
        public ImageNetworkSpec Architecture { get; set; } = new SmallCnnSpec();

        /// <summary>
        /// Per-row shape <c>[Channels, Height, Width]</c> of a vector features column, e.g. <c>[1, 28, 28]</c>
        /// for a vector of 784; its product must be the vector size. Default <see langword="null"/>: the
        /// column's image dimensions (set by <c>ExtractPixels</c>). For an image column it must be
        /// <see langword="null"/> or the <see cref="Image"/> options' shape.
        /// </summary>
        public long[]? FeatureShape { get; set; }

        /// <summary>
        /// How images become tensors when the features column holds images (<c>MLImage</c>, encoded bytes
        /// or file paths): size, channels, channel order, scale and resize policy. Default
        /// <see langword="null"/>: <see cref="ImageInputOptions"/>' defaults (3×224×224 RGB scaled to [0, 1]).
        /// </summary>
        public ImageInputOptions? Image { get; set; }

        /// <summary>
        /// Random transformations of training batches (flips, crops, affine, erasing, colour jitter),
        /// decided per sample from its seed; never applied to validation or scoring. Runs on the pixel
        /// scale even when <see cref="NetworkTrainerOptions.NormalizeFeatures"/> standardises the inputs.
        /// Saved in the model's <see cref="Transforms.Models.TrainingHistory.Recipe"/>. Default
        /// <see langword="null"/>: none.
        /// </summary>
        public AugmentationPipeline? Augmentation { get; set; }

        /// <summary>
        /// Mixes pairs of training samples and their targets after <see cref="Augmentation"/>:
        /// <see cref="Mixup"/> or <see cref="CutMix"/>, decided per sample, seeded by
        /// <see cref="TrainingOptions.Seed"/>. Classification targets become class probabilities, so the
        /// training loss and accuracy are against the mixed targets; validation and scoring see plain
        /// images. Not for embedding tasks (pairs of classes do not mix). Saved in the recipe. Default
        /// <see langword="null"/>: none.
        /// </summary>
        public BatchMixing? Mixing { get; set; }

        /// <summary>
        /// Transfer learning: pretrained initial weights (the head re-initialised for another class
        /// count), the backbone frozen for some epochs, a learning-rate factor for the backbone. Needs an
        /// architecture of the zoo (a backbone/head split) or a <see cref="YoloSpec"/>, whose backbone takes the
        /// classifier's weights. Default <see langword="null"/>: train from scratch.
        /// </summary>
        public FineTuningOptions? FineTuning { get; set; }

        /// <inheritdoc />
        public override void Validate()
        {
            base.Validate();
            ArgumentNullException.ThrowIfNull(Architecture, nameof(Architecture));
            try
            {
                // The architecture's own options; its input size and class count come from the data.
                (Architecture with { InputChannels = 1, InputHeight = 1024, InputWidth = 1024, OutputSize = 2 }).Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentOutOfRangeException($"{nameof(Architecture)}.{e.ParamName}", e.ActualValue, $"{nameof(Architecture)} ({Architecture.GetType().Name}): {e.Message}");
            }

            if (FeatureShape is { } shape)
            {
                OptionCheck.Require(shape.Length == 3, shape.Length, $"{nameof(FeatureShape)}.Length", "3 ([Channels, Height, Width])");
                for (var i = 0; i < shape.Length; i++)
                {
                    OptionCheck.Require(shape[i] >= 1, shape[i], $"{nameof(FeatureShape)}[{i}]", "at least 1");
                }
            }

            Image?.Validate();
            Mixing?.Validate();
            FineTuning?.Validate();
        }
    }
}

using System.Text.Json.Nodes;
using DeepLearning.Trainers.Data;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// The ML.NET estimator every network trainer is: it binds the input adapter and the task to the
/// data, reads the examples, builds the network from <see cref="CreateSpec"/>, runs the one
/// <see cref="TrainingLoop"/> and returns a <see cref="NetworkPredictionTransformer"/> with the task's
/// head. A trainer contributes the network (and, if it wants, the input adapter); the task decides
/// targets, loss, metric and output columns.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class NetworkTrainerBase<TOptions> : IEstimator<NetworkPredictionTransformer>
    where TOptions : NetworkTrainerOptions
{
    private readonly IHost _host;

    /// <summary>Creates the trainer and validates the options.</summary>
    /// <param name="environment">The ML.NET environment (an <see cref="MLContext"/>).</param>
    /// <param name="task">The task.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="name">Name used in log messages.</param>
    private protected NetworkTrainerBase(IHostEnvironment environment, TrainingTask task, TOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        Task = task ?? throw new ArgumentNullException(nameof(task));
        options.Validate();
        _host = environment.Register(name);
        TrainerOptions = options;
    }

    /// <summary>The task this trainer learns.</summary>
    public TrainingTask Task { get; }

    /// <summary>The options (validated at construction).</summary>
    public TOptions TrainerOptions { get; }

    /// <summary>
    /// Trains on <paramref name="input"/>, validating on <see cref="NetworkTrainerOptions.ValidationSet"/> when
    /// it is set (else on <see cref="TrainingOptions.ValidationFraction"/> of the rows, if any).
    /// </summary>
    /// <param name="input">Training data.</param>
    public NetworkPredictionTransformer Fit(IDataView input) => Fit(input, TrainerOptions.ValidationSet);

    /// <summary>Trains on <paramref name="input"/> and validates every epoch on <paramref name="validation"/>.</summary>
    /// <param name="input">Training data.</param>
    /// <param name="validation">Validation data for early stopping and plateau schedules, or <see langword="null"/>.</param>
    public NetworkPredictionTransformer Fit(IDataView input, IDataView? validation)
        => Run(input, validation, "Fit", "Training", run =>
        {
            var history = new TrainingLoop(TrainerOptions, run.Log).Run(run.Network, run.Target.Loss ?? Task, run.Train, run.Validation, run.Hooks);
            var model = new NetworkModel(run.Adapter, run.Spec, run.Network, run.Target.CreateHead(), TrainerOptions.Device);
            run.NetworkTaken = true;
            return new NetworkPredictionTransformer(model, history.WithWarnings(run.Target.Warnings).WithRecipe(CreateRecipe()));
        });

    /// <summary>
    /// The learning-rate range test (Leslie Smith; fastai's <c>lr_find</c>): trains the network this
    /// trainer would build, from the same initial weights, for up to <see cref="LearningRateFinderOptions.Batches"/>
    /// mini-batches while the rate grows exponentially from <see cref="LearningRateFinderOptions.MinLearningRate"/>
    /// to <see cref="LearningRateFinderOptions.MaxLearningRate"/>, recording the loss of each batch, and stops
    /// early when the smoothed loss diverges. It runs the one training loop with this trainer's options
    /// (optimiser, batch size, augmentation, seed; not the schedule, validation, early stopping or checkpoints)
    /// and leaves nothing behind: the trainer and a later <c>Fit</c> are unaffected. Feed the suggestion to
    /// <see cref="LearningRateFinderResult.ToOneCycleSchedule"/> or use it as <see cref="TrainingOptions.LearningRate"/>.
    /// </summary>
    /// <param name="input">Training data (the columns <c>Fit</c> reads).</param>
    /// <param name="options">The sweep; <see langword="null"/> for the defaults.</param>
    /// <returns>The rates, the raw and smoothed losses, and the suggested rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and its value).</exception>
    public LearningRateFinderResult FindLearningRate(IDataView input, LearningRateFinderOptions? options = null)
    {
        options ??= new LearningRateFinderOptions();
        options.Validate();
        return Run(input, null, "FindLearningRate", "Sweeping the learning rate of", run => LearningRateSweep.Run(run.Network, run.Target.Loss ?? Task, run.Train, TrainerOptions, run.Hooks, options, run.Log));
    }

    /// <summary>
    /// Binds the input adapter and the task to the data (checking columns and labels before anything is
    /// read), makes the batch sources, builds and initialises the network under the options' seed and
    /// threads, and hands all of it to <paramref name="run"/>. The network is disposed afterwards unless
    /// <paramref name="run"/> takes it.
    /// </summary>
    private TResult Run<TResult>(IDataView input, IDataView? validation, string operation, string verb, Func<PreparedRun, TResult> run)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = TrainerOptions;
        options.Validate();
        using var channel = _host.Start(operation);
        void Log(string message) => channel.Info(MessageSensitivity.None, message);
        var device = torch.device(options.Device);

        var adapter = CreateInput(input.Schema);
        var target = Task.Bind(new TargetContext(input, options.LabelColumnName, null, adapter.Shape, Architecture));
        foreach (var warning in target.Warnings)
        {
            channel.Warning(MessageSensitivity.None, warning);
        }

        if (ConvolutionCheck.EnsureVerified() == ConvolutionCheckResult.OneDnnDisabled)
        {
            channel.Warning(MessageSensitivity.None, ConvolutionCheck.DisabledWarning);
        }

        var validationTarget = validation is null ? null : Task.Bind(new TargetContext(validation, options.LabelColumnName, target, adapter.Shape, Architecture));
        var normalization = options.FeatureNormalization
            ?? (options.NormalizeFeatures ? FeatureStatistics.Compute(input, adapter.Bind(input.Schema)) : null);
        if (normalization is not null)
        {
            adapter = adapter.WithNormalization(normalization);
            adapter.Validate();
        }

        IBatchSource? train = null;
        IBatchSource? valid = null;
        PreparedRun? prepared = null;
        try
        {
            train = BatchSourceFactory.Create(Examples.Create(input, adapter.Bind(input.Schema), target), device, options.MaxCacheBytes, options.DataSource, Log);
            if (validation is not null)
            {
                valid = BatchSourceFactory.Create(Examples.Create(validation, adapter.Bind(validation.Schema), validationTarget!), device, options.MaxCacheBytes, options.DataSource, Log);
            }

            var spec = CreateSpec(adapter.Shape, target.NetworkOutputs);
            Log($"{verb} a {spec.GetType().Name} on inputs of shape [{string.Join(", ", adapter.Shape)}] for {Task.GetType().Name}.");
            using (TorchState.Enter(options.Seed, options.NumberOfThreads))
            {
                var network = spec.Build().to(device);
                prepared = new PreparedRun(network, adapter, spec, target, train, valid, TrainingHooks.None, Log);
                InitializeNetwork(network, Log);
                prepared.Hooks = CreateHooks(adapter, target.NetworkOutputs, network);
                return run(prepared);
            }
        }
        finally
        {
            if (prepared is { NetworkTaken: false })
            {
                prepared.Network.Dispose();
            }

            train?.Dispose();
            valid?.Dispose();
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var options = TrainerOptions;
        if (!inputSchema.Any(c => c.Name == options.FeatureColumnName))
        {
            throw new ArgumentOutOfRangeException(nameof(options.FeatureColumnName), options.FeatureColumnName, $"Features column '{options.FeatureColumnName}' was not found in the input.");
        }

        SchemaShape.Column? keyValues = null;
        foreach (var name in Task.LabelColumns(options.LabelColumnName))
        {
            var labels = inputSchema.Where(c => c.Name == name).ToList();
            if (labels.Count == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName), name, $"Label column '{name}' was not found in the input.");
            }

            keyValues ??= labels[^1].Annotations.Where(a => a.Name == MlNetEnvironment.AnnotationKindNames.KeyValues).Select(a => (SchemaShape.Column?)a).LastOrDefault();
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (var column in MlNetEnvironment.ShapeColumns(Task.PreviewHead().CreateColumns(), keyValues))
        {
            columns[column.Name] = column;
        }

        return MlNetEnvironment.Shape(columns.Values);
    }

    /// <summary>The architecture option, given to tasks whose targets depend on the network's layout; by default <see langword="null"/>.</summary>
    private protected virtual NetworkSpec? Architecture => null;

    /// <summary>The network to train for inputs of <paramref name="inputShape"/> and <paramref name="outputs"/> outputs per row.</summary>
    /// <param name="inputShape">Shape of one input row (from the input adapter).</param>
    /// <param name="outputs">Values per row the task's head reads.</param>
    private protected abstract NetworkSpec CreateSpec(IReadOnlyList<long> inputShape, int outputs);

    /// <summary>Prepares the freshly built network before training, e.g. loads pretrained weights; by default nothing.</summary>
    /// <param name="network">The network, on the training device.</param>
    /// <param name="log">The fit's log.</param>
    private protected virtual void InitializeNetwork(nn.Module<Tensor, Tensor> network, Action<string> log)
    {
    }

    /// <summary>The loop's hooks (augmentation, freezing, parameter groups …) for inputs read by <paramref name="input"/>; by default none.</summary>
    /// <param name="input">The input adapter, with the normalisation the batches will carry.</param>
    /// <param name="outputs">Values per row the network outputs (the class count of a classifier).</param>
    /// <param name="network">The network to train.</param>
    private protected virtual TrainingHooks CreateHooks(InputAdapter input, int outputs, nn.Module<Tensor, Tensor> network) => TrainingHooks.None;

    /// <summary>How the model is trained, saved in <see cref="Transforms.Models.TrainingHistory.Recipe"/>: the trainer's name and the loop's options, plus what a trainer adds.</summary>
    private protected virtual JsonObject CreateRecipe()
    {
        var recipe = TrainerOptions.ToRecipe();
        recipe["trainer"] = GetType().Name;
        return recipe;
    }

    /// <summary>The input adapter for the training data; by default the features column as a vector shaped as the column says.</summary>
    /// <param name="schema">The training data's schema.</param>
    private protected virtual InputAdapter CreateInput(DataViewSchema schema) => VectorInput.FromSchema(schema, TrainerOptions.FeatureColumnName);

    /// <summary>What <see cref="Run{TResult}"/> prepared: the network and everything it is trained with.</summary>
    private sealed class PreparedRun(nn.Module<Tensor, Tensor> network, InputAdapter adapter, NetworkSpec spec, TargetBinding target, IBatchSource train, IBatchSource? validation, TrainingHooks hooks, Action<string> log)
    {
        public nn.Module<Tensor, Tensor> Network => network;

        public InputAdapter Adapter => adapter;

        public NetworkSpec Spec => spec;

        public TargetBinding Target => target;

        public IBatchSource Train => train;

        public IBatchSource? Validation => validation;

        public TrainingHooks Hooks { get; set; } = hooks;

        public Action<string> Log => log;

        /// <summary>Whether the run kept the network (in a model), so it must not be disposed.</summary>
        public bool NetworkTaken { get; set; }
    }
}

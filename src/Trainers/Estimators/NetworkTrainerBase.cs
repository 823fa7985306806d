using DeepLearning.Trainers.Data;
using DeepLearning.Trainers.Objectives;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Estimators;

/// <summary>
/// The ML.NET estimator shared by network trainers: it reads the data into tensors, builds the
/// network from <see cref="CreateSpec"/>, runs the <see cref="TrainingLoop"/> and returns a
/// <see cref="NetworkPredictionTransformer"/>. A trainer contributes only the network spec.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class NetworkTrainerBase<TOptions> : IEstimator<NetworkPredictionTransformer>
    where TOptions : TrainingOptions
{
    private readonly IHost _host;

    /// <summary>Creates the trainer and validates the options.</summary>
    /// <param name="environment">The ML.NET environment (an <see cref="MLContext"/>).</param>
    /// <param name="kind">The task.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="name">Name used in log messages.</param>
    private protected NetworkTrainerBase(IHostEnvironment environment, PredictionKind kind, TOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        }

        options.Validate();
        _host = environment.Register(name);
        Kind = kind;
        TrainerOptions = options;
    }

    /// <summary>The task this trainer learns.</summary>
    public PredictionKind Kind { get; }

    /// <summary>The options (validated at construction).</summary>
    public TOptions TrainerOptions { get; }

    /// <summary>Trains on <paramref name="input"/>, using the options' validation settings.</summary>
    /// <param name="input">Training data.</param>
    public NetworkPredictionTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="input"/> and validates every epoch on <paramref name="validation"/>.</summary>
    /// <param name="input">Training data.</param>
    /// <param name="validation">Validation data for early stopping and plateau schedules, or <see langword="null"/>.</param>
    public NetworkPredictionTransformer Fit(IDataView input, IDataView? validation)
    {
        ArgumentNullException.ThrowIfNull(input);
        TrainerOptions.Validate();
        using var channel = _host.Start("Fit");
        var device = torch.device(TrainerOptions.Device);
        var inputLength = TrainingDataLoader.FeatureLength(input.Schema, TrainerOptions.FeatureColumnName);
        var train = TrainingDataLoader.Load(input, TrainerOptions, Kind, inputLength, null, device, message => Log(channel, message));
        TrainingDataLoader.Result? valid = null;
        nn.Module<Tensor, Tensor>? network = null;
        try
        {
            valid = validation is null ? null : TrainingDataLoader.Load(validation, TrainerOptions, Kind, inputLength, train.ClassCount, device, message => Log(channel, message));
            Log(channel, $"Training on {train.Data.Count} rows of {inputLength} features{(valid is null ? string.Empty : $", validating on {valid.Data.Count} rows")}.");
            var outputs = Kind == PredictionKind.MulticlassClassification ? train.ClassCount : 1;
            var spec = CreateSpec(inputLength, outputs);
            TrainingHistory history;
            using (TorchState.Enter(TrainerOptions.Seed, TrainerOptions.NumberOfThreads))
            {
                network = spec.Build().to(device);
                history = new TrainingLoop(TrainerOptions, message => Log(channel, message)).Run(network, CreateObjective(), train.Data, valid?.Data);
            }

            var model = new NetworkModel(spec, network, TrainerOptions.Device);
            network = null;
            return new NetworkPredictionTransformer(model, Kind, TrainerOptions.FeatureColumnName, train.KeyValues, history);
        }
        finally
        {
            network?.Dispose();
            train.Data.Dispose();
            valid?.Data.Dispose();
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var matches = inputSchema.Where(c => c.Name == TrainerOptions.FeatureColumnName).ToList();
        if (matches.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), TrainerOptions.FeatureColumnName, $"Features column '{TrainerOptions.FeatureColumnName}' was not found in the input.");
        }

        var features = matches[^1];
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), TrainerOptions.FeatureColumnName, $"Features column '{TrainerOptions.FeatureColumnName}' must be a known-size vector of Single, but is {features.Kind} of {features.ItemType}.");
        }

        var labels = inputSchema.Where(c => c.Name == TrainerOptions.LabelColumnName).ToList();
        if (labels.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), TrainerOptions.LabelColumnName, $"Label column '{TrainerOptions.LabelColumnName}' was not found in the input.");
        }

        // The class count is only known from the data; the shape of Score is a vector either way.
        var columns = inputSchema.ToDictionary(c => c.Name);
        var keyValues = labels[^1].Annotations.Where(a => a.Name == "KeyValues").Select(a => (SchemaShape.Column?)a).LastOrDefault();
        foreach (var column in new PredictionColumns(Kind, 2, null).ShapeColumns(keyValues))
        {
            columns[column.Name] = column;
        }

        return MlNetEnvironment.Shape(columns.Values);
    }

    /// <summary>The network to train for <paramref name="inputLength"/> inputs and <paramref name="outputSize"/> outputs.</summary>
    /// <param name="inputLength">Number of values in the features vector.</param>
    /// <param name="outputSize">Number of outputs (classes for multiclass, otherwise 1).</param>
    private protected abstract NetworkSpec CreateSpec(int inputLength, int outputSize);

    private static void Log(IChannel channel, string message) => channel.Info(MessageSensitivity.None, message);

    private ILossTask CreateObjective() => Kind switch
    {
        PredictionKind.MulticlassClassification => new SoftmaxCrossEntropyObjective(),
        PredictionKind.BinaryClassification => new BinaryCrossEntropyObjective(),
        _ => new MeanSquaredErrorObjective(),
    };
}

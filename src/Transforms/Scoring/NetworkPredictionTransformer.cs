using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// An ML.NET transformer that scores a features column with a trained TorchSharp network and
/// appends prediction columns for its <see cref="PredictionKind"/>. <c>Transform</c> scores in
/// batches; <c>CreatePredictionEngine</c> scores row by row. Saved by <c>MLContext.Model.Save</c>
/// with the weights inside the zip, and loaded by <c>MLContext.Model.Load</c> in any process that
/// references this assembly.
/// </summary>
public sealed class NetworkPredictionTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private int _scoringBatchSize = 256;

    /// <summary>Creates a transformer around a trained model; it takes ownership of the model.</summary>
    /// <param name="model">The trained network.</param>
    /// <param name="kind">The task, which decides the output columns.</param>
    /// <param name="featureColumnName">Name of the input features column.</param>
    /// <param name="labelKeyValues">Class names of a multiclass label (its <c>KeyValues</c>), or <see langword="null"/>.</param>
    /// <param name="history">How the network was trained, or <see langword="null"/>.</param>
    public NetworkPredictionTransformer(NetworkModel model, PredictionKind kind, string featureColumnName, KeyValuesAnnotation? labelKeyValues = null, TrainingHistory? history = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind.");
        }

        if (string.IsNullOrWhiteSpace(featureColumnName))
        {
            throw new ArgumentException("The features column name must not be empty.", nameof(featureColumnName));
        }

        if (kind != PredictionKind.MulticlassClassification && model.OutputSize != 1)
        {
            throw new ArgumentException($"A {kind} network must have 1 output, not {model.OutputSize}.", nameof(model));
        }

        Kind = kind;
        FeatureColumnName = featureColumnName;
        LabelKeyValues = labelKeyValues;
        History = history;
        Columns = new PredictionColumns(kind, model.OutputSize, labelKeyValues);
    }

    /// <summary>The trained model (spec, network, device).</summary>
    public NetworkModel Model { get; }

    /// <summary>The TorchSharp network.</summary>
    public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Network => Model.Network;

    /// <summary>The architecture the network was built from.</summary>
    public NetworkSpec Spec => Model.Spec;

    /// <summary>The task.</summary>
    public PredictionKind Kind { get; }

    /// <summary>Name of the features column read from the input.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Class names of a multiclass label, carried into <c>PredictedLabel</c>'s <c>KeyValues</c>.</summary>
    public KeyValuesAnnotation? LabelKeyValues { get; }

    /// <summary>Per-epoch metrics of the training run that produced the network (saved with the model).</summary>
    public TrainingHistory? History { get; }

    /// <summary>Rows scored per network call by <c>Transform</c>. Default 256; at least 1. Not saved.</summary>
    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set => _scoringBatchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ScoringBatchSize), value, $"Option {nameof(ScoringBatchSize)} = {value} is invalid: it must be at least 1.");
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    internal PredictionColumns Columns { get; }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateScorer(inputSchema).OutputSchema;

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The ONNX-exportable wrapper of ScoredDataView (decision 9; adapter in MlNet/).
        return new OnnxScoredDataTransform(CreateScorer(input.Schema), input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ScoringRowMapper(CreateScorer(inputSchema));

    /// <inheritdoc />
    void ICanSaveModel.Save(ModelSaveContext ctx) => NetworkTransformerPersistence.Save(this, ctx);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private Scorer CreateScorer(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new Scorer(Model, Columns, inputSchema, FeatureColumnName, ScoringBatchSize);
    }
}

using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Models;
using DeepLearning.Transforms.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// An ML.NET transformer that scores an input column with a trained TorchSharp network and appends
/// the columns of its <see cref="OutputHead"/>. <c>Transform</c> scores in batches;
/// <c>CreatePredictionEngine</c> scores row by row. Saved by <c>MLContext.Model.Save</c> with the
/// weights inside the zip, and loaded by <c>MLContext.Model.Load</c> in any process that references
/// this assembly.
/// </summary>
public sealed class NetworkPredictionTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private int _scoringBatchSize = 256;

    /// <summary>Creates a transformer around a trained model; it takes ownership of the model.</summary>
    /// <param name="model">The trained network with its input adapter and output head.</param>
    /// <param name="history">How the network was trained, or <see langword="null"/>.</param>
    public NetworkPredictionTransformer(NetworkModel model, TrainingHistory? history = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        History = history;
    }

    /// <summary>The trained model (input adapter, spec, network, head, device).</summary>
    public NetworkModel Model { get; }

    /// <summary>The TorchSharp network.</summary>
    public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Network => Model.Network;

    /// <summary>The architecture the network was built from.</summary>
    public NetworkSpec Spec => Model.Spec;

    /// <summary>How the input column becomes the network's input.</summary>
    public InputAdapter Input => Model.Input;

    /// <summary>What the outputs mean and which columns they become (e.g. <see cref="MulticlassClassificationHead"/> with the class names).</summary>
    public OutputHead Head => Model.Head;

    /// <summary>Per-epoch metrics and warnings of the training run that produced the network (saved with the model).</summary>
    public TrainingHistory? History { get; }

    /// <summary>Rows scored per network call by <c>Transform</c>. Default 256; at least 1. Not saved.</summary>
    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set
        {
            Validation.OptionCheck.Require(value >= 1, value, nameof(ScoringBatchSize), "at least 1");
            _scoringBatchSize = value;
        }
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

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
        return new Scorer(Model, inputSchema, ScoringBatchSize);
    }
}

using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// The view our transformer's <c>Transform</c> returns, as ML.NET's ONNX converter needs it:
/// <c>ConvertToOnnx</c> transforms the data, then walks back from the result through
/// <see cref="IDataTransform.Source"/> while each view is an <see cref="ITransformCanSaveOnnx"/>, and
/// asks each, in pipeline order, to add its nodes. Rows come from the wrapped <see cref="ScoredDataView"/>.
/// </summary>
internal sealed class OnnxScoredDataTransform : ITransformCanSaveOnnx
{
    private readonly Scorer _scorer;
    private readonly ScoredDataView _view;

    public OnnxScoredDataTransform(Scorer scorer, IDataView input)
    {
        _scorer = scorer;
        _view = new ScoredDataView(scorer, input);
        Source = input;
    }

    public IDataView Source { get; }

    public bool CanShuffle => _view.CanShuffle;

    public DataViewSchema Schema => _view.Schema;

    public long? GetRowCount() => _view.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => _view.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => _view.GetRowCursorSet(columnsNeeded, n, rand);

    // Whether the network exports is only known while emitting it; an unsupported module then
    // throws a NotSupportedException that names it, instead of ML.NET's generic message.
    public bool CanSaveOnnx(OnnxContext ctx) => true;

    public void SaveAsOnnx(OnnxContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var featuresColumn = _scorer.Input.Column;
        var featuresName = featuresColumn.Name;
        if (!ctx.ContainsColumn(featuresName))
        {
            throw new InvalidOperationException($"Features column '{featuresName}' is not in the ONNX graph: a transform before the network could not be exported.");
        }

        var builder = new OnnxContextGraphBuilder(ctx);
        if (featuresColumn.Type is not VectorDataViewType vector)
        {
            throw new NotSupportedException($"Input column '{featuresName}' of type {featuresColumn.Type} cannot be an ONNX input; export a network that reads a vector of Single.");
        }

        var featureShape = vector.Dimensions.Select(d => (long)d).ToArray();
        var model = _scorer.Model;
        var logits = new OnnxNetworkExporter(builder).ExportNetwork(model.Spec, model.Network, ctx.GetVariableName(featuresName), featureShape, model.Input.Normalization);

        // Claim the prediction columns last: they may hide input columns of the same names.
        var outputs = new Dictionary<string, string>();
        foreach (var column in _scorer.Columns)
        {
            outputs[column.Name] = ctx.AddIntermediateVariable(column.Type, column.Name);
        }

        model.Head.ExportOnnx(builder, logits, outputs);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("A scored data view cannot be saved; save the transformer with MLContext.Model.Save.");
}

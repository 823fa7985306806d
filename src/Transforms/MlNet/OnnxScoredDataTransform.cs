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
        var featuresName = _scorer.Features.Column.Name;
        if (!ctx.ContainsColumn(featuresName))
        {
            throw new InvalidOperationException($"Features column '{featuresName}' is not in the ONNX graph: a transform before the network could not be exported.");
        }

        var builder = new OnnxContextGraphBuilder(ctx);
        var featureShape = ((VectorDataViewType)_scorer.Features.Column.Type).Dimensions.Select(d => (long)d).ToArray();
        var logits = new OnnxNetworkExporter(builder).ExportNetwork(_scorer.Model.Spec, _scorer.Model.Network, ctx.GetVariableName(featuresName), featureShape);

        // Claim the prediction columns last: they may hide input columns of the same names.
        var columns = _scorer.Columns;
        var outputs = new Dictionary<string, string>();
        for (var i = 0; i < columns.Count; i++)
        {
            outputs[columns.NameAt(i)] = ctx.AddIntermediateVariable(columns.TypeAt(i), columns.NameAt(i));
        }

        PredictionOnnx.Emit(columns.Kind, builder, logits, outputs);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("A scored data view cannot be saved; save the transformer with MLContext.Model.Save.");
}

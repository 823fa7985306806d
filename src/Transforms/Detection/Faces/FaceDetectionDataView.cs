using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// The lazily scored view the face detection transform returns: the input columns plus the faces. It is an
/// ML.NET data transform so that <c>ConvertToOnnx</c> finds it on its walk back through the pipeline and
/// reports that it cannot be exported, rather than silently exporting the steps before it.
/// </summary>
internal sealed class FaceDetectionDataView : ITransformCanSaveOnnx
{
    public FaceDetectionDataView(FaceDetectionTransformer transformer, IDataView input)
    {
        Transformer = transformer;
        Source = input;
        ImageColumn = FaceDetectionColumns.RequireImage(input.Schema, transformer.InputColumnName);
        Schema = FaceDetectionColumns.OutputSchema(input.Schema);
    }

    public FaceDetectionTransformer Transformer { get; }

    public IDataView Source { get; }

    public DataViewSchema.Column ImageColumn { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => Source.CanShuffle;

    /// <summary>Where the appended columns start in <see cref="Schema"/>.</summary>
    public int FirstOutput => Source.Schema.Count;

    public long? GetRowCount() => Source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputs = needed.Select(c => c.Index >= FirstOutput ? ImageColumn : Source.Schema[c.Index]).DistinctBy(c => c.Index).ToList();
        return new FaceDetectionCursor(this, Source.GetRowCursor(inputs, rand), needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    public bool CanSaveOnnx(OnnxContext ctx) => true;

    public void SaveAsOnnx(OnnxContext ctx)
        => throw new NotSupportedException("The face detection transform (DetectFaces) cannot be exported to ONNX: its grid decoding and non-maximum suppression have no ONNX form here, and ML.NET's image loading does not export either. Export the detector's network alone and decode its 13×13×5 grid and run NMS in the app, as the README's face detector section describes.");

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("A scored data view cannot be saved; save the transformer with MLContext.Model.Save.");
}

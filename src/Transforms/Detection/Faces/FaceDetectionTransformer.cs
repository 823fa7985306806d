using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// Appends the faces found in an image column (<see cref="FaceDetectionColumns"/>): <c>Transform</c> reads
/// <see cref="ScoringBatchSize"/> rows, pads and resizes each image to the network's square input as face-api
/// does, runs the network once on the batch, then decodes the grid and runs NMS per image; the boxes are those
/// <see cref="FaceDetector.Detect(Microsoft.ML.Data.MLImage)"/> finds. Saved by <c>MLContext.Model.Save</c> with the
/// weights inside the zip. Decode and NMS have no ONNX export: <c>ConvertToOnnx</c> throws
/// <see cref="NotSupportedException"/>. Scoring needs whole batches, so there is no <c>PredictionEngine</c>; use
/// <see cref="Detector"/> for one image at a time.
/// </summary>
public sealed class FaceDetectionTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private int _scoringBatchSize = 8;

    internal FaceDetectionTransformer(FaceDetector detector, string inputColumnName)
    {
        Detector = detector;
        InputColumnName = inputColumnName;
    }

    /// <summary>The detector (network, options), for single images.</summary>
    public FaceDetector Detector { get; }

    /// <summary>The image column read.</summary>
    public string InputColumnName { get; }

    /// <summary>Images per network call in <c>Transform</c>. Default 8; at least 1 (each image costs about 12 MB of activations at input size 416). Not saved.</summary>
    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set
        {
            OptionCheck.Require(value >= 1, value, nameof(ScoringBatchSize), "at least 1");
            _scoringBatchSize = value;
        }
    }

    /// <summary>Always <see langword="false"/>: the network scores whole batches of rows.</summary>
    public bool IsRowToRowMapper => false;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceDetectionColumns.RequireImage(inputSchema, InputColumnName);
        return FaceDetectionColumns.OutputSchema(inputSchema);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The image column is missing or not an image column.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new FaceDetectionDataView(this, input);
    }

    /// <summary>Not supported: the transform scores batches (use <see cref="Detector"/> for single images).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException("The face detection transform scores batches of rows and has no row-to-row mapper (no PredictionEngine); call Transform on an IDataView, or FaceDetector.Detect for a single image.");

    /// <inheritdoc />
    void ICanSaveModel.Save(ModelSaveContext ctx) => FaceDetectionPersistence.Save(this, ctx);

    /// <inheritdoc />
    public void Dispose() => Detector.Dispose();
}

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
/// <see cref="NotSupportedException"/>. A <c>PredictionEngine</c> detects one image per call (a batch of one,
/// the same faces).
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

    /// <summary>Always <see langword="true"/>: a <c>PredictionEngine</c> detects one row at a time.</summary>
    public bool IsRowToRowMapper => true;

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

    /// <summary>Detects the faces of one row at a time (for <c>PredictionEngine</c>).</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image column is missing or not an image column.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new FaceDetectionRowMapper(this, inputSchema);
    }

    /// <inheritdoc />
    void ICanSaveModel.Save(ModelSaveContext ctx) => FaceDetectionPersistence.Save(this, ctx);

    /// <inheritdoc />
    public void Dispose() => Detector.Dispose();
}

using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// Detects the faces of one row at a time, for <c>PredictionEngine</c>: the image is prepared as the batched
/// cursor prepares it and run as a batch of one, so a row gets the faces <c>Transform</c> gives it. The faces are
/// kept while the row's pixels stay the same, so reading the three columns of a prediction runs the network once.
/// </summary>
internal sealed class FaceDetectionRowMapper : IRowToRowMapper
{
    private readonly FaceDetector _detector;
    private readonly DataViewSchema.Column _image;

    public FaceDetectionRowMapper(FaceDetectionTransformer transformer, DataViewSchema inputSchema)
    {
        _detector = transformer.Detector;
        _image = FaceDetectionColumns.RequireImage(inputSchema, transformer.InputColumnName);
        InputSchema = inputSchema;
        OutputSchema = FaceDetectionColumns.OutputSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = dependingColumns.Select(c => c.Index >= InputSchema.Count ? _image : InputSchema[c.Index]);
        return needed.DistinctBy(c => c.Index).ToList();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new FaceRow(this, input, activeColumns);

    private sealed class FaceRow : AppendedColumnsRow
    {
        private readonly FaceDetectionRowMapper _mapper;
        private readonly ImageSource? _images;
        private byte[]? _pixels;
        private (int Width, int Height) _size;
        private IReadOnlyList<DetectedFace> _faces = [];

        public FaceRow(FaceDetectionRowMapper mapper, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
            : base(input, mapper.OutputSchema, activeColumns)
        {
            _mapper = mapper;
            if (AnyAppendedActive)
            {
                _images = ImageSource.Create(input, mapper._image, baseDirectory: null);
            }
        }

        protected override Delegate AppendedGetter(int appended) => FaceDetectionColumns.Getter(appended, Faces);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _images?.Dispose();
            }

            base.Dispose(disposing);
        }

        private IReadOnlyList<DetectedFace> Faces()
        {
            // Rows are compared by their pixels: a prediction engine's input row need not advance its position.
            var image = _images!.Read(Input.Position);
            var pixels = ImagePixels.ReadRgba(image);
            if (_pixels is null || _size != (image.Width, image.Height) || !pixels.AsSpan().SequenceEqual(_pixels))
            {
                var detector = _mapper._detector;
                using var scope = NewDisposeScope();
                var square = detector.Prepare(ImagePixels.FromRgba(pixels, image.Height, image.Width));
                _faces = detector.DetectPrepared(square, detector.SquareToPixels(image.Width, image.Height).unsqueeze(0))[0];
                (_pixels, _size) = (pixels, (image.Width, image.Height));
            }

            return _faces;
        }
    }
}

using DeepLearning.Transforms.Inputs.Images;
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

    private sealed class FaceRow : DataViewRow
    {
        private readonly FaceDetectionRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly ImageSource? _images;
        private byte[]? _pixels;
        private (int Width, int Height) _size;
        private IReadOnlyList<DetectedFace> _faces = [];

        public FaceRow(FaceDetectionRowMapper mapper, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            _mapper = mapper;
            _input = input;
            _active = new bool[mapper.OutputSchema.Count];
            foreach (var column in activeColumns)
            {
                _active[column.Index] = true;
            }

            if (_active.Skip(mapper.InputSchema.Count).Any(a => a))
            {
                _images = ImageSource.Create(input, mapper._image, baseDirectory: null);
            }
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            }

            int inputs = _mapper.InputSchema.Count;
            if (column.Index < inputs)
            {
                return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
            }

            return FaceDetectionColumns.Getter(column.Index - inputs, Faces) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

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
            var image = _images!.Read(_input.Position);
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

using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// Reads <see cref="FaceDetectionTransformer.ScoringBatchSize"/> rows ahead (each image's pixels copied),
/// then prepares each image (pad to a square, resize, normalise: images differ in size), detects the faces of
/// the whole batch with one network call, and serves the rows one by one.
/// </summary>
internal sealed class FaceDetectionCursor : BatchedCursor
{
    private readonly ImageSource? _images;
    private readonly (byte[] Rgba, int Width, int Height)[] _pixels;
    private readonly IReadOnlyList<DetectedFace>[] _faces;
    private readonly FaceDetector _detector;

    public FaceDetectionCursor(FaceDetectionDataView view, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> columnsNeeded)
        : base(view.Schema, view.Source.Schema, input, columnsNeeded, view.Transformer.ScoringBatchSize)
    {
        _detector = view.Transformer.Detector;
        _pixels = new (byte[], int, int)[BatchSize];
        _faces = new IReadOnlyList<DetectedFace>[BatchSize];
        FirstOutput = view.FirstOutput;
        if (ScoresAnything)
        {
            _images = ImageSource.Create(input, view.ImageColumn, baseDirectory: null);
        }
    }

    private int FirstOutput { get; }

    private IReadOnlyList<DetectedFace> Faces => _faces[Slot];

    protected override Delegate OutputGetter(DataViewSchema.Column column) => FaceDetectionColumns.Getter(column.Index - FirstOutput, () => Faces);

    protected override void ReadRow(int slot, long position)
    {
        var image = _images!.Read(position);
        _pixels[slot] = (ImagePixels.ReadRgba(image), image.Width, image.Height);
    }

    protected override void ScoreBatch(int count)
    {
        using var scope = NewDisposeScope();
        var rows = _pixels.Take(count).ToList();
        var squares = rows.Select(p => _detector.Prepare(ImagePixels.FromRgba(p.Rgba, p.Height, p.Width)));
        var toPixels = rows.Select(p => _detector.SquareToPixels(p.Width, p.Height));
        var faces = _detector.DetectPrepared(cat([.. squares]), stack([.. toPixels]));
        for (var i = 0; i < count; i++)
        {
            _faces[i] = faces[i];
            _pixels[i] = default;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _images?.Dispose();
        }

        base.Dispose(disposing);
    }
}

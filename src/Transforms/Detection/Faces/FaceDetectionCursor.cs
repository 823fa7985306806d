using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// Reads <see cref="FaceDetectionTransformer.ScoringBatchSize"/> rows ahead, prepares each image (pad to a
/// square, resize, normalise: images differ in size), detects the faces of the whole batch with one network
/// call, and then serves the rows one by one (passed-through columns from a cache).
/// </summary>
internal sealed class FaceDetectionCursor : DataViewRowCursor
{
    private readonly FaceDetectionDataView _view;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly ColumnCache?[] _caches;
    private readonly ImageSource? _images;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private readonly IReadOnlyList<DetectedFace>[] _faces;
    private int _count;
    private int _index = -1;
    private long _position = -1;
    private long _inputPosition = -1;

    public FaceDetectionCursor(FaceDetectionDataView view, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        _view = view;
        _input = input;
        var batch = view.Transformer.ScoringBatchSize;
        _active = new bool[view.Schema.Count];
        foreach (var column in columnsNeeded)
        {
            _active[column.Index] = true;
        }

        _caches = new ColumnCache?[view.FirstOutput];
        for (var i = 0; i < _caches.Length; i++)
        {
            if (_active[i])
            {
                _caches[i] = ColumnCache.Create(input, view.Source.Schema[i], batch);
            }
        }

        _inputId = input.GetIdGetter();
        _ids = new DataViewRowId[batch];
        _faces = new IReadOnlyList<DetectedFace>[batch];
        if (_active.Skip(view.FirstOutput).Any(a => a))
        {
            _images = ImageSource.Create(input, view.ImageColumn, baseDirectory: null);
        }
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override bool MoveNext()
    {
        if (_index + 1 >= _count)
        {
            FillBatch();
            if (_count == 0)
            {
                return false;
            }

            _index = -1;
        }

        _index++;
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
        {
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        }

        Delegate getter = column.Index < _view.FirstOutput
            ? _caches[column.Index]!.MakeGetter(() => _index)
            : FaceDetectionColumns.Names[column.Index - _view.FirstOutput] switch
            {
                FaceDetectionColumns.PredictedLabel => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) => Fill(ref value, _faces[_index].Count, 1, static (_, _) => 1u)),
                FaceDetectionColumns.Score => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, _faces[_index].Count, 1, (face, _) => _faces[_index][face].Score)),
                _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(ref value, _faces[_index].Count, FaceDetectionColumns.BoxValues, (face, corner) => Corner(_faces[_index][face], corner))),
            };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_index];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _images?.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    private static float Corner(DetectedFace face, int corner) => corner switch
    {
        0 => face.Left,
        1 => face.Top,
        2 => face.Right,
        _ => face.Bottom,
    };

    private static void Fill<T>(ref VBuffer<T> value, int faces, int perFace, Func<int, int, T> read)
    {
        var editor = VBufferEditor.Create(ref value, faces * perFace);
        for (var i = 0; i < faces * perFace; i++)
        {
            editor.Values[i] = read(i / perFace, i % perFace);
        }

        value = editor.Commit();
    }

    private void FillBatch()
    {
        _count = 0;
        using var scope = NewDisposeScope();
        var detector = _view.Transformer.Detector;
        var squares = new List<Tensor>();
        var toPixels = new List<Tensor>();
        while (_count < _view.Transformer.ScoringBatchSize && _input.MoveNext())
        {
            _inputPosition++;
            foreach (var cache in _caches)
            {
                cache?.Store(_count);
            }

            _inputId(ref _ids[_count]);
            if (_images is not null)
            {
                var image = _images.Read(_inputPosition);
                squares.Add(detector.Prepare(ImagePixels.ToRgbTensor(image)));
                toPixels.Add(detector.SquareToPixels(image.Width, image.Height));
            }

            _count++;
        }

        if (squares.Count > 0)
        {
            var faces = detector.DetectPrepared(cat(squares), stack(toPixels));
            for (var i = 0; i < _count; i++)
            {
                _faces[i] = faces[i];
            }
        }
    }
}

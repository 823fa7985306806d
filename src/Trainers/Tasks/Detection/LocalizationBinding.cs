using System.Globalization;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Reads object-localisation targets from ML.NET's object-detection columns with at most one object per
/// row: a key vector of 0 or 1 labels and a Single vector of 0 or 4 box corners in input pixels. Target
/// per row <c>[presence, class, cx, cy, w, h]</c>, the box as fractions of the input size; no object:
/// presence 0, class −1, box 0.
/// </summary>
internal sealed class LocalizationBinding : TargetBinding
{
    /// <summary>Values per target row.</summary>
    public const int TargetLength = 6;

    private const string Task = ObjectLocalizationTask.Name;
    private readonly int _classes;
    private readonly KeyValuesAnnotation? _names;
    private readonly int _width;
    private readonly int _height;

    private LocalizationBinding(DataViewSchema.Column labels, DataViewSchema.Column boxes, int classes, KeyValuesAnnotation? names, int width, int height)
        : base([labels, boxes], [])
    {
        _classes = classes;
        _names = names;
        _width = width;
        _height = height;
    }

    public override int NetworkOutputs => 5 + _classes;

    public override IReadOnlyList<long> TargetShape => [TargetLength];

    public override ScalarType TargetType => ScalarType.Float32;

    public override ITargetReader CreateReader(DataViewRow row) => new Reader(this, row);

    public override OutputHead CreateHead() => new ObjectLocalizationHead { ClassCount = _classes, Labels = _names, InputWidth = _width, InputHeight = _height };

    /// <summary>Finds and checks the columns; for training data also reads every row once, so that bad rows fail before training.</summary>
    public static LocalizationBinding Create(TargetContext context, string boxColumnName)
    {
        var schema = context.Data.Schema;
        if (context.InputShape.Count != 3)
        {
            throw new ArgumentException($"{Task} needs image inputs [C, H, W]; the features are shaped [{string.Join(", ", context.InputShape)}].");
        }

        var labels = schema.GetColumnOrNull(context.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException("LabelColumnName", context.LabelColumnName, $"Label column '{context.LabelColumnName}' was not found in the data.");
        if (labels.Type is not VectorDataViewType { ItemType: KeyDataViewType { Count: >= 2 and <= int.MaxValue } key })
        {
            throw new ArgumentOutOfRangeException("LabelColumnName", context.LabelColumnName, $"Label column '{context.LabelColumnName}' is of type {labels.Type}; {Task} needs a vector of keys (0 or 1 per row) with at least 2 classes.");
        }

        var boxes = schema.GetColumnOrNull(boxColumnName)
            ?? throw new ArgumentOutOfRangeException("BoxColumnName", boxColumnName, $"Box column '{boxColumnName}' was not found in the data.");
        if (boxes.Type is not VectorDataViewType { ItemType: NumberDataViewType } boxType || boxType.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException("BoxColumnName", boxColumnName, $"Box column '{boxColumnName}' is of type {boxes.Type}; {Task} needs a vector of Single (4 corner values per object, in input pixels).");
        }

        var binding = context.Training as LocalizationBinding
            ?? new LocalizationBinding(labels, boxes, checked((int)key.Count), KeyValuesAnnotation.TryRead(labels), (int)context.InputShape[2], (int)context.InputShape[1]);
        var bound = new LocalizationBinding(labels, boxes, binding._classes, binding._names, binding._width, binding._height);
        bound.CheckRows(context.Data);
        return bound;
    }

    private void CheckRows(IDataView data)
    {
        long rows = 0, objects = 0;
        using var cursor = data.GetRowCursor(Columns);
        var reader = CreateReader(cursor);
        Span<float> target = stackalloc float[TargetLength];
        while (cursor.MoveNext())
        {
            reader.Read(target, cursor.Position);
            rows++;
            objects += target[0] > 0 ? 1 : 0;
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The data is empty: label column '{Columns[0].Name}' and box column '{Columns[1].Name}' have no rows.");
        }

        if (objects == 0)
        {
            throw new InvalidOperationException($"None of the {rows} rows holds an object (label column '{Columns[0].Name}' is empty in every row): {Task} has nothing to locate.");
        }
    }

    private sealed class Reader : ITargetReader
    {
        private readonly LocalizationBinding _binding;
        private readonly ValueGetter<VBuffer<uint>> _labels;
        private readonly ValueGetter<VBuffer<float>> _boxes;
        private VBuffer<uint> _label;
        private VBuffer<float> _box;

        public Reader(LocalizationBinding binding, DataViewRow row)
        {
            _binding = binding;
            _labels = row.GetGetter<VBuffer<uint>>(binding.Columns[0]);
            _boxes = row.GetGetter<VBuffer<float>>(binding.Columns[1]);
        }

        public void Read(Span<float> target, long position)
        {
            _labels(ref _label);
            _boxes(ref _box);
            var labelName = _binding.Columns[0].Name;
            var boxName = _binding.Columns[1].Name;
            if (_label.Length > 1)
            {
                throw new InvalidOperationException(Text($"Row {position} holds {_label.Length} objects in label column '{labelName}'; {Task} takes at most one object per image (use object detection for more)."));
            }

            if (_box.Length != 4 * _label.Length)
            {
                throw new InvalidOperationException(Text($"Row {position} has {_label.Length} label(s) in '{labelName}' but {_box.Length} values in box column '{boxName}': each object needs 4 (x1, y1, x2, y2)."));
            }

            if (_label.Length == 0)
            {
                target.Clear();
                target[1] = -1;
                return;
            }

            uint key = _label.GetItemOrDefault(0);
            if (key == 0 || key > _binding._classes)
            {
                throw new InvalidOperationException(Text($"Label column '{labelName}' has a missing or unknown key value ({key}) in row {position}."));
            }

            Span<float> box = stackalloc float[4];
            _box.CopyTo(box);
            if (!float.IsFinite(box[0] + box[1] + box[2] + box[3]) || box[2] <= box[0] || box[3] <= box[1] || box[0] < 0 || box[1] < 0 || box[2] > _binding._width || box[3] > _binding._height)
            {
                throw new InvalidOperationException(Text($"Box column '{boxName}' has the box ({box[0]}, {box[1]}, {box[2]}, {box[3]}) in row {position}: corners need x1 < x2, y1 < y2, inside the {_binding._width}×{_binding._height} input."));
            }

            target[0] = 1;
            target[1] = key - 1;
            target[2] = (box[0] + box[2]) / 2 / _binding._width;
            target[3] = (box[1] + box[3]) / 2 / _binding._height;
            target[4] = (box[2] - box[0]) / _binding._width;
            target[5] = (box[3] - box[1]) / _binding._height;
        }

        private static string Text(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
    }
}

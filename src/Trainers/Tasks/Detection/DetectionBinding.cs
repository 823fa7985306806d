using System.Globalization;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Reads detection targets from ML.NET's object-detection columns (a key vector of N labels and a Single
/// vector of 4·N corners in input pixels per row) as <c>[M, 5]</c> per row, M the most objects a row of this
/// data holds: (class, x1, y1, x2, y2) with corners as fractions of the input, rows past N padded with class −1.
/// Binding the training data also fixes the grid (from the YOLO architecture) and the anchors.
/// </summary>
internal sealed class DetectionBinding : TargetBinding
{
    private const string Task = ObjectDetectionTask.Name;
    private readonly ObjectDetectionTask _task;
    private readonly DetectionLayout _layout;
    private readonly int _slots;

    private DetectionBinding(ObjectDetectionTask task, DataViewSchema.Column labels, DataViewSchema.Column boxes, DetectionLayout layout, int slots)
        : base([labels, boxes], [])
    {
        _task = task;
        _layout = layout;
        _slots = slots;
    }

    public override int NetworkOutputs => _layout.NetworkOutputs;

    public override IReadOnlyList<long> TargetShape => [_slots, DetectionLayout.TargetValues];

    public override ScalarType TargetType => ScalarType.Float32;

    public override ILossTask Loss => new YoloLoss(_task, _layout);

    public override ITargetReader CreateReader(DataViewRow row) => new Reader(this, row, _slots);

    public override OutputHead CreateHead() => _layout.CreateHead(_task);

    /// <summary>Finds and checks the columns and reads every row once (bad rows fail before training); for training data also fixes grid and anchors.</summary>
    public static DetectionBinding Create(ObjectDetectionTask task, TargetContext context)
    {
        var (labels, boxes, classes) = FindColumns(task, context);
        var layout = (context.Training as DetectionBinding)?._layout;
        var scan = Scan(context.Data, labels, boxes, classes, layout?.InputWidth ?? (int)context.InputShape[2], layout?.InputHeight ?? (int)context.InputShape[1]);
        layout ??= DetectionLayout.Create(task, context, classes, KeyValuesAnnotation.TryRead(labels), scan.Sizes);
        return new DetectionBinding(task, labels, boxes, layout, Math.Max(1, scan.MostObjects));
    }

    private static (DataViewSchema.Column Labels, DataViewSchema.Column Boxes, int Classes) FindColumns(ObjectDetectionTask task, TargetContext context)
    {
        if (context.InputShape.Count != 3)
        {
            throw new ArgumentException($"{Task} needs image inputs [C, H, W]; the features are shaped [{string.Join(", ", context.InputShape)}].");
        }

        var schema = context.Data.Schema;
        var labels = schema.GetColumnOrNull(context.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException("LabelColumnName", context.LabelColumnName, $"Label column '{context.LabelColumnName}' was not found in the data.");
        if (labels.Type is not VectorDataViewType { ItemType: KeyDataViewType { Count: >= 1 and <= int.MaxValue } key })
        {
            throw new ArgumentOutOfRangeException("LabelColumnName", context.LabelColumnName, $"Label column '{context.LabelColumnName}' is of type {labels.Type}; {Task} needs a vector of keys (one per object).");
        }

        var boxes = schema.GetColumnOrNull(task.BoxColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(ObjectDetectionTask.BoxColumnName), task.BoxColumnName, $"Box column '{task.BoxColumnName}' was not found in the data.");
        if (boxes.Type is not VectorDataViewType { ItemType: NumberDataViewType } boxType || boxType.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(ObjectDetectionTask.BoxColumnName), task.BoxColumnName, $"Box column '{task.BoxColumnName}' is of type {boxes.Type}; {Task} needs a vector of Single (4 corner values per object, in input pixels).");
        }

        return (labels, boxes, checked((int)key.Count));
    }

    /// <summary>Reads every row: checks it, and collects the most objects per row and every box's normalised size.</summary>
    private static (int MostObjects, float[] Sizes) Scan(IDataView data, DataViewSchema.Column labels, DataViewSchema.Column boxes, int classes, int width, int height)
    {
        var sizes = new List<float>();
        long rows = 0;
        int most = 0;
        using var cursor = data.GetRowCursor([labels, boxes]);
        var reader = new RowReader(labels, boxes, classes, width, height, cursor);
        while (cursor.MoveNext())
        {
            var count = reader.Read(cursor.Position);
            most = Math.Max(most, count);
            rows++;
            for (var i = 0; i < count; i++)
            {
                var box = reader.Box(i);
                sizes.Add((box[2] - box[0]) / width);
                sizes.Add((box[3] - box[1]) / height);
            }
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The data is empty: label column '{labels.Name}' and box column '{boxes.Name}' have no rows.");
        }

        return (most, [.. sizes]);
    }

    private sealed class Reader(DetectionBinding binding, DataViewRow row, int slots) : ITargetReader
    {
        private readonly RowReader _row = new(binding.Columns[0], binding.Columns[1], binding._layout.ClassCount, binding._layout.InputWidth, binding._layout.InputHeight, row);

        public void Read(Span<float> target, long position)
        {
            var count = _row.Read(position);
            if (count > slots)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Row {position} holds {count} objects in label column '{binding.Columns[0].Name}', more than the {slots} this data was bound with."));
            }

            target.Clear();
            var (width, height) = (binding._layout.InputWidth, binding._layout.InputHeight);
            for (var i = 0; i < slots; i++)
            {
                var slot = target.Slice(i * DetectionLayout.TargetValues, DetectionLayout.TargetValues);
                if (i >= count)
                {
                    slot[0] = -1;
                    continue;
                }

                var box = _row.Box(i);
                slot[0] = _row.Class(i);
                slot[1] = box[0] / width;
                slot[2] = box[1] / height;
                slot[3] = box[2] / width;
                slot[4] = box[3] / height;
            }
        }
    }
}

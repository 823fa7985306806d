using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Tasks.Detection;

/// <summary>
/// Reads and checks one row of ML.NET's object-detection columns: N keys in the label column and 4·N corners
/// (x1, y1, x2, y2) in input pixels in the box column, each box inside the input with x1 &lt; x2 and y1 &lt; y2.
/// </summary>
internal sealed class RowReader
{
    private readonly DataViewSchema.Column _labels;
    private readonly DataViewSchema.Column _boxes;
    private readonly int _classes;
    private readonly int _width;
    private readonly int _height;
    private readonly ValueGetter<VBuffer<uint>> _getLabels;
    private readonly ValueGetter<VBuffer<float>> _getBoxes;
    private VBuffer<uint> _label;
    private VBuffer<float> _box;
    private float[] _dense = new float[4];

    public RowReader(DataViewSchema.Column labels, DataViewSchema.Column boxes, int classes, int width, int height, DataViewRow row)
    {
        (_labels, _boxes, _classes, _width, _height) = (labels, boxes, classes, width, height);
        _getLabels = row.GetGetter<VBuffer<uint>>(labels);
        _getBoxes = row.GetGetter<VBuffer<float>>(boxes);
    }

    /// <summary>Reads the current row and returns its number of objects.</summary>
    /// <exception cref="InvalidOperationException">The row's counts disagree, a key is missing or unknown, or a box is outside the input, inverted or not finite; the message names the column, row and value.</exception>
    public int Read(long position)
    {
        _getLabels(ref _label);
        _getBoxes(ref _box);
        var count = _label.Length;
        if (_box.Length != 4 * count)
        {
            throw Error($"Row {position} has {count} label(s) in '{_labels.Name}' but {_box.Length} values in box column '{_boxes.Name}': each object needs 4 (x1, y1, x2, y2).");
        }

        if (_dense.Length < _box.Length)
        {
            _dense = new float[_box.Length];
        }

        _box.CopyTo(_dense);
        for (var i = 0; i < count; i++)
        {
            uint key = _label.GetItemOrDefault(i);
            if (key == 0 || key > _classes)
            {
                throw Error($"Label column '{_labels.Name}' has a missing or unknown key value ({key}) for object {i} in row {position}.");
            }

            var b = Box(i);
            if (!float.IsFinite(b[0] + b[1] + b[2] + b[3]) || b[2] <= b[0] || b[3] <= b[1] || b[0] < 0 || b[1] < 0 || b[2] > _width || b[3] > _height)
            {
                throw Error($"Box column '{_boxes.Name}' has the box ({b[0]}, {b[1]}, {b[2]}, {b[3]}) for object {i} in row {position}: corners need x1 < x2, y1 < y2, inside the {_width}×{_height} input.");
            }
        }

        return count;
    }

    /// <summary>Corners of object <paramref name="index"/> of the row last read.</summary>
    public ReadOnlySpan<float> Box(int index) => _dense.AsSpan(4 * index, 4);

    /// <summary>0-based class of object <paramref name="index"/> of the row last read.</summary>
    public int Class(int index) => (int)_label.GetItemOrDefault(index) - 1;

    private static InvalidOperationException Error(FormattableString message) => new(message.ToString(CultureInfo.InvariantCulture));
}

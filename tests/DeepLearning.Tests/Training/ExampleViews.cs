using DeepLearning.Trainers.Data;
using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

/// <summary>The data of <see cref="TrainingData"/> as ML.NET views and example layouts, for batch-source tests.</summary>
internal static class ExampleViews
{
    /// <summary>A shuffleable view of known row count (Features: 4 floats, Label: class index as float).</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="seed">Seed of the features.</param>
    /// <param name="badLabelRow">A row whose label is -1 (the layout's reader rejects it), or -1 for none.</param>
    /// <param name="rowIndexFeature">Whether feature 0 is replaced by the row index, to identify rows.</param>
    public static IDataView View(int rows, ulong seed, int badLabelRow = -1, bool rowIndexFeature = false)
    {
        using var scope = NewDisposeScope();
        var (x, y) = TrainingData.MakeTensors(rows, seed);
        scope.Attach(x, y);
        {
            var features = x.data<float>().ToArray();
            var labels = y.to(ScalarType.Float32).data<float>().ToArray();
            if (rowIndexFeature)
            {
                for (var i = 0; i < rows; i++)
                {
                    features[i * TrainingData.Inputs] = i;
                }
            }

            if (badLabelRow >= 0)
            {
                labels[badLabelRow] = -1;
            }

            return new ImageArrayDataView(features, labels, rows, 1, 1, TrainingData.Inputs);
        }
    }

    /// <summary>Reads Features and Label; a negative label throws naming the row.</summary>
    public static ExampleLayout Layout(IDataView data, ScalarType targetType = ScalarType.Int64)
    {
        var features = data.Schema["Features"];
        var label = data.Schema["Label"];
        return new ExampleLayout(data, [features, label], row => new Reader(row.GetGetter<VBuffer<float>>(features), row.GetGetter<float>(label)), [TrainingData.Inputs], [], targetType);
    }

    /// <summary>The message the layout's reader throws for a bad label.</summary>
    public static string BadLabelMessage(long row) => $"Label column 'Label' has the value -1 in row {row}.";

    private sealed class Reader(ValueGetter<VBuffer<float>> features, ValueGetter<float> label) : IExampleReader
    {
        private VBuffer<float> _features;
        private float _label;

        public void Read(Span<float> input, Span<float> target, long position)
        {
            features(ref _features);
            _features.CopyTo(input);
            label(ref _label);
            if (_label < 0)
            {
                throw new InvalidOperationException(BadLabelMessage(position));
            }

            target[0] = _label;
        }
    }
}

/// <summary>A view that hides its row count and cannot shuffle, like a file read front to back.</summary>
internal sealed class OpaqueDataView(IDataView inner) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => inner.GetRowCursor(columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [inner.GetRowCursor(columnsNeeded)];
}

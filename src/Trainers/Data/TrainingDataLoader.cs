using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Data;

/// <summary>
/// Reads an <see cref="IDataView"/> once into a <see cref="CachedBatchSource"/>: features as one
/// contiguous float tensor and labels as class indices (multiclass), 0/1 (binary) or targets
/// (regression). Validates the columns and every value, naming the column and row on bad input.
/// </summary>
internal static class TrainingDataLoader
{
    /// <summary>What was read, plus facts about the label the model needs to keep.</summary>
    public sealed record Result(CachedBatchSource Data, int InputLength, int ClassCount, KeyValuesAnnotation? KeyValues);

    public static Result Load(IDataView data, TrainingOptions options, PredictionKind kind, int inputLength, int? classCount, Device device, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = FeatureColumn.Bind(data.Schema, options.FeatureColumnName, inputLength);
        var label = LabelReader.Bind(data.Schema, options.LabelColumnName, kind, classCount);
        var multiclass = kind == PredictionKind.MulticlassClassification;
        var layout = new ExampleLayout(data, [features.Column, label.Column], row => new Reader(features.CreateReader(row), label.CreateGetter(row)), [inputLength], [], multiclass ? ScalarType.Int64 : ScalarType.Float32);
        var source = (CachedBatchSource)BatchSourceFactory.Create(layout, device, options.MaxCacheBytes, BatchSourceMode.Cached, log);
        try
        {
            var classes = multiclass ? label.ClassCount([source.Targets.max().item<long>()]) : 1;
            return new Result(source, inputLength, classes, label.KeyValues);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>The length of the features vector, or a clear error when it is not a known-size float vector.</summary>
    public static int FeatureLength(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Features column '{name}' was not found in the training data. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        return column.Type is VectorDataViewType { ItemType: var item, IsKnownSize: true } vector && item == NumberDataViewType.Single
            ? vector.Size
            : throw new ArgumentOutOfRangeException(nameof(name), name, $"Features column '{name}' must be a known-size vector of Single, but is {column.Type}.");
    }

    private sealed class Reader(FeatureColumn.Reader features, Func<long, float> label) : IExampleReader
    {
        public void Read(Span<float> input, Span<float> target, long position)
        {
            features.Read(input, position);
            target[0] = label(position);
        }
    }
}

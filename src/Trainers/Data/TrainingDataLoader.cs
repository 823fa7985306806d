using DeepLearning.Trainers.Training;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Data;

/// <summary>
/// Reads an <see cref="IDataView"/> once into a <see cref="TensorDataset"/>: features as one
/// contiguous float tensor and labels as class indices (multiclass), 0/1 (binary) or targets
/// (regression). Validates the columns and every value, naming the column and row on bad input.
/// </summary>
internal static class TrainingDataLoader
{
    /// <summary>What was read, plus facts about the label the model needs to keep.</summary>
    public sealed record Result(TensorDataset Data, int InputLength, int ClassCount, KeyValuesAnnotation? KeyValues);

    public static Result Load(IDataView data, TrainingOptions options, PredictionKind kind, int inputLength, int? classCount, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = FeatureColumn.Bind(data.Schema, options.FeatureColumnName, inputLength);
        var label = LabelReader.Bind(data.Schema, options.LabelColumnName, kind, classCount);
        var rowBytes = (long)inputLength * sizeof(float);
        var capacity = (int)Math.Clamp(data.GetRowCount() ?? 1024, 1, Math.Max(1, options.MaxCacheBytes / rowBytes));
        var x = new float[checked(capacity * inputLength)];
        var y = new float[capacity];
        long rows = 0;
        using (var cursor = data.GetRowCursor([features.Column, label.Column]))
        {
            var readFeatures = features.CreateReader(cursor);
            var readLabel = label.CreateGetter(cursor);
            while (cursor.MoveNext())
            {
                if (rows == capacity)
                {
                    if ((rows + 1) * rowBytes > options.MaxCacheBytes)
                    {
                        throw new InvalidOperationException($"The training data exceeds {nameof(TrainingOptions.MaxCacheBytes)} = {options.MaxCacheBytes} bytes of features ({rows}+ rows of {inputLength} values). Raise the option or train on a sample.");
                    }

                    capacity = (int)Math.Min((long)capacity * 2, Math.Max(capacity + 1, options.MaxCacheBytes / rowBytes));
                    Array.Resize(ref x, checked(capacity * inputLength));
                    Array.Resize(ref y, capacity);
                }

                readFeatures.Read(x.AsSpan((int)rows * inputLength, inputLength), cursor.Position);
                y[rows] = readLabel(cursor.Position);
                rows++;
            }
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The training data is empty: no rows to read from columns '{options.FeatureColumnName}' and '{options.LabelColumnName}'.");
        }

        var classes = kind == PredictionKind.MulticlassClassification ? label.ClassCount(y.AsSpan(0, (int)rows)) : 1;
        using var scope = NewDisposeScope();
        var featureTensor = torch.tensor(x, [capacity, inputLength]).narrow(0, 0, rows);
        var labelTensor = torch.tensor(y, [capacity]).narrow(0, 0, rows);
        if (kind == PredictionKind.MulticlassClassification)
        {
            labelTensor = labelTensor.to(ScalarType.Int64);
        }

        var dataset = new TensorDataset(featureTensor.contiguous().to(device).MoveToOuterDisposeScope(), labelTensor.contiguous().to(device).MoveToOuterDisposeScope());
        return new Result(dataset, inputLength, classes, label.KeyValues);
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
}

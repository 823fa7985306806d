using DeepLearning.Transforms.Inputs.Images;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Inputs;

/// <summary>Chooses the input adapter of a features column by its type, so trainers fit on vectors and images alike.</summary>
internal static class InputAdapters
{
    /// <summary>
    /// The adapter for <paramref name="columnName"/>: an <see cref="ImageInput"/> for an <c>MLImage</c>,
    /// byte-vector (encoded image) or Text (image path) column, a <see cref="VectorInput"/> for a
    /// known-size vector of Single (shaped as <paramref name="featureShape"/> says, else as the column says).
    /// </summary>
    /// <param name="schema">The training data's schema.</param>
    /// <param name="columnName">The features column.</param>
    /// <param name="featureShape">An explicit per-row shape, e.g. <c>[1, 28, 28]</c> for a vector of 784; for an image column it must equal <c>[Channels, Height, Width]</c>. <see langword="null"/>: the column's own shape.</param>
    /// <param name="image">How images become tensors; <see langword="null"/>: <see cref="ImageInputOptions"/>' defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, of another type, or does not fit <paramref name="featureShape"/>; the message names the column.</exception>
    public static InputAdapter ForColumn(DataViewSchema schema, string columnName, IReadOnlyList<long>? featureShape = null, ImageInputOptions? image = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException("FeatureColumnName", columnName, $"Features column '{columnName}' was not found in the input. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (ImageInput.CanRead(column.Type))
        {
            var input = new ImageInput { ColumnName = columnName, Options = image ?? new ImageInputOptions() };
            input.Validate();
            if (featureShape is not null && !featureShape.SequenceEqual(input.Shape))
            {
                throw new ArgumentOutOfRangeException("FeatureShape", columnName, $"Features column '{columnName}' holds images read as [{string.Join(", ", input.Shape)}] (Channels, Height, Width of the image options), but FeatureShape is [{string.Join(", ", featureShape)}]; set the image options instead.");
            }

            return input;
        }

        if (column.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException("FeatureColumnName", columnName, $"Features column '{columnName}' is {column.Type}; the network reads a known-size vector of Single, or {ImageErrors.AcceptedTypes}.");
        }

        return VectorInput.FromSchema(schema, columnName, featureShape);
    }
}

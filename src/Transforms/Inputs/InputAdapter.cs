using System.Text.Json.Serialization;
using Microsoft.ML;

namespace DeepLearning.Transforms.Inputs;

/// <summary>
/// Turns an input column into the network's input tensor, the same way in <c>Fit</c> and in
/// <c>Transform</c>: each row becomes a float tensor of <see cref="Shape"/>, batched to
/// <c>[B, ..Shape]</c>, then normalised per channel when <see cref="Normalization"/> is set.
/// The adapter is chosen by the column type (a known-size vector of Single, an image column,
/// encoded image bytes, image file paths) and is saved with the model as JSON by its
/// <see cref="Serialization.RegisteredNameAttribute"/> name. It is the one place that checks the
/// input column, so every error about it reads the same.
/// </summary>
public abstract class InputAdapter
{
    /// <summary>Name of the input column.</summary>
    public string ColumnName { get; init; } = "Features";

    /// <summary>Per-channel mean and standard deviation subtracted and divided after reading, or <see langword="null"/> for none.</summary>
    public InputNormalization? Normalization { get; init; }

    /// <summary>Shape of one row's tensor, e.g. <c>[784]</c> or <c>[1, 28, 28]</c>.</summary>
    [JsonIgnore]
    public abstract IReadOnlyList<long> Shape { get; }

    /// <summary>Values per row (the product of <see cref="Shape"/>).</summary>
    [JsonIgnore]
    public int Length => checked((int)Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Throws an exception naming the first invalid property and its value.</summary>
    public virtual void Validate()
    {
        Validation.OptionCheck.RequireName(ColumnName, nameof(ColumnName));
        foreach (var (d, i) in Shape.Select((d, i) => (d, i)))
        {
            Validation.OptionCheck.Require(d >= 1, d, $"Shape[{i}]", "at least 1");
        }

        Normalization?.Validate(Shape);
    }

    /// <summary>Finds and checks the input column in <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema of the data to read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of a type or size this adapter cannot read; the message names the column.</exception>
    internal abstract BoundInput Bind(DataViewSchema schema);

    /// <summary>This adapter with other normalisation.</summary>
    /// <param name="normalization">The normalisation, or <see langword="null"/>.</param>
    internal abstract InputAdapter WithNormalization(InputNormalization? normalization);
}

using Microsoft.ML;

namespace DeepLearning.Transforms.Inputs;

/// <summary>An <see cref="InputAdapter"/> checked against a schema: the column it reads, and readers over rows.</summary>
internal abstract class BoundInput
{
    protected BoundInput(InputAdapter adapter, DataViewSchema.Column column)
    {
        Adapter = adapter;
        Column = column;
    }

    /// <summary>The adapter.</summary>
    public InputAdapter Adapter { get; }

    /// <summary>The input column.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>A reader of the current row of <paramref name="row"/>, which must have <see cref="Column"/> active.</summary>
    public abstract IInputReader CreateReader(DataViewRow row);
}

/// <summary>Reads the current row's input into a buffer of <see cref="InputAdapter.Length"/> values; disposing releases its buffers (native images, for instance).</summary>
internal interface IInputReader : IDisposable
{
    /// <summary>Reads the current row.</summary>
    /// <param name="destination">Receives the row's values.</param>
    /// <param name="position">The row's position, for error messages.</param>
    /// <returns><see langword="false"/> when a value is NaN or infinite (the values are still copied); the caller decides: training refuses, batch scoring gives NaN outputs.</returns>
    /// <exception cref="InvalidOperationException">The row cannot be read (wrong length, undecodable image …); the message names the column, row and value.</exception>
    bool Read(Span<float> destination, long position);
}

/// <summary>The messages about input rows that training and single-row scoring raise.</summary>
internal static class InputErrors
{
    /// <summary>A row holds NaN or an infinity.</summary>
    public static InvalidOperationException NonFinite(string column, long position)
        => new($"Features column '{column}' has a NaN or infinite value in row {position}. Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues.");
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Inputs;

/// <summary>
/// Per-channel standardisation <c>(x − Mean[c]) / Std[c]</c> applied to each input batch. The
/// channel axis is the first axis of a multi-dimensional input (<c>[C, H, W]</c>); a flat input
/// <c>[L]</c> has one channel per feature. One value of each also applies to every channel.
/// Saved with the model; computed from the training data or given.
/// </summary>
/// <param name="Mean">Per-channel means (or one for all).</param>
/// <param name="Std">Per-channel standard deviations (or one for all); each greater than 0.</param>
public sealed record InputNormalization(float[] Mean, float[] Std)
{
    /// <summary>Number of channels of an input of <paramref name="shape"/>.</summary>
    /// <param name="shape">The per-row input shape.</param>
    public static long Channels(IReadOnlyList<long> shape) => shape.Count == 0 ? 1 : shape[0];

    /// <summary>Throws an exception naming the invalid property unless the values fit an input of <paramref name="shape"/>.</summary>
    /// <param name="shape">The per-row input shape.</param>
    public void Validate(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(Mean, nameof(Mean));
        ArgumentNullException.ThrowIfNull(Std, nameof(Std));
        var channels = Channels(shape);
        Validation.OptionCheck.Require(Mean.Length == 1 || Mean.Length == channels, Mean.Length, $"Normalization.{nameof(Mean)}.Length", $"1 or the number of channels ({channels})");
        Validation.OptionCheck.Require(Std.Length == Mean.Length, Std.Length, $"Normalization.{nameof(Std)}.Length", $"equal to {nameof(Mean)}.Length ({Mean.Length})");
        for (var i = 0; i < Mean.Length; i++)
        {
            Validation.OptionCheck.Require(float.IsFinite(Mean[i]), Mean[i], $"Normalization.{nameof(Mean)}[{i}]", "finite");
            Validation.OptionCheck.Require(Std[i] > 0 && float.IsFinite(Std[i]), Std[i], $"Normalization.{nameof(Std)}[{i}]", "greater than 0 and finite");
        }
    }

    /// <summary>Standardises one row of an input of <paramref name="shape"/> in place (vectorised per channel).</summary>
    /// <param name="row">The row's values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The per-row input shape.</param>
    internal void ApplyInPlace(Span<float> row, IReadOnlyList<long> shape)
    {
        if (Mean.Length == 1)
        {
            TensorPrimitives.Subtract(row, Mean[0], row);
            TensorPrimitives.Divide(row, Std[0], row);
        }
        else if (shape.Count == 1)
        {
            TensorPrimitives.Subtract(row, Mean, row);
            TensorPrimitives.Divide(row, Std, row);
        }
        else
        {
            var plane = row.Length / Mean.Length;
            for (var c = 0; c < Mean.Length; c++)
            {
                var values = row.Slice(c * plane, plane);
                TensorPrimitives.Subtract(values, Mean[c], values);
                TensorPrimitives.Divide(values, Std[c], values);
            }
        }
    }

    /// <summary>The mean and standard deviation as tensors that broadcast over a batch <c>[B, ..shape]</c>.</summary>
    /// <param name="shape">The per-row input shape.</param>
    /// <param name="device">The device of the batches.</param>
    internal (Tensor Mean, Tensor Std) ToTensors(IReadOnlyList<long> shape, Device device)
    {
        long[] view = Mean.Length == 1 ? [1] : [Mean.Length, .. Enumerable.Repeat(1L, Math.Max(0, shape.Count - 1))];
        return (tensor(Mean).reshape(view).to(device), tensor(Std).reshape(view).to(device));
    }
}

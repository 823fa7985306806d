using DeepLearning.Transforms.Inputs;
using Microsoft.ML;

namespace DeepLearning.Trainers.Estimators;

/// <summary>Per-channel mean and standard deviation of an input column, from one pass over the data.</summary>
internal static class FeatureStatistics
{
    /// <summary>
    /// Reads every row of <paramref name="input"/>'s column once and returns the per-channel statistics
    /// (channel: the first axis of a multi-dimensional input, each feature of a flat one). Sums are
    /// kept in double. A constant channel gets standard deviation 1.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (naming the column and row), or there are no rows.</exception>
    public static InputNormalization Compute(IDataView data, BoundInput input)
    {
        var shape = input.Adapter.Shape;
        var length = input.Adapter.Length;
        var channels = (int)InputNormalization.Channels(shape);
        var plane = length / channels;
        var sum = new double[channels];
        var squares = new double[channels];
        var row = new float[length];
        long rows = 0;
        using (var cursor = data.GetRowCursor([input.Column]))
        {
            using var reader = input.CreateReader(cursor);
            while (cursor.MoveNext())
            {
                if (!reader.Read(row, cursor.Position))
                {
                    throw InputErrors.NonFinite(input.Column.Name, cursor.Position);
                }

                for (var c = 0; c < channels; c++)
                {
                    double s = 0, q = 0;
                    foreach (var v in row.AsSpan(c * plane, plane))
                    {
                        s += v;
                        q += (double)v * v;
                    }

                    sum[c] += s;
                    squares[c] += q;
                }

                rows++;
            }
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"The training data is empty: features column '{input.Column.Name}' has no rows.");
        }

        var count = (double)rows * plane;
        var mean = new float[channels];
        var std = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var m = sum[c] / count;
            var variance = Math.Max(0, (squares[c] / count) - (m * m));
            mean[c] = (float)m;
            std[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return new InputNormalization(mean, std);
    }
}

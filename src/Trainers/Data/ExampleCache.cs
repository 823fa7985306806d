using DeepLearning.Trainers.Training;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Data;

/// <summary>Reads the examples of an <see cref="ExampleLayout"/> once into a <see cref="TensorDataset"/>, writing rows straight into native tensors.</summary>
internal static class ExampleCache
{
    private const int ChunkRows = 4096;

    /// <summary>Reads every row; throws naming the budget when the features exceed <paramref name="maxBytes"/>.</summary>
    public static TensorDataset Load(ExampleLayout layout, long maxBytes, Device device)
    {
        var inputLength = layout.InputLength;
        var targetLength = Math.Max(1, layout.TargetLength);
        var rowBytes = (long)inputLength * sizeof(float);
        var known = layout.Data.GetRowCount();
        var capacity = Math.Max(1, known ?? ChunkRows);
        var inputs = empty([capacity, inputLength], ScalarType.Float32);
        var targets = empty([capacity, targetLength], ScalarType.Float32);
        var inputChunk = new float[ChunkRows * inputLength];
        var targetChunk = new float[ChunkRows * targetLength];
        long rows = 0;
        var pending = 0;
        try
        {
            using (var cursor = layout.Data.GetRowCursor(layout.Columns))
            {
                using var reader = layout.CreateReader(cursor);
                while (cursor.MoveNext())
                {
                    if ((rows + 1) * rowBytes > maxBytes)
                    {
                        throw new InvalidOperationException($"The training data exceeds MaxCacheBytes = {maxBytes} bytes of features ({rows}+ rows of {inputLength} values). Raise the option or train on a sample.");
                    }

                    reader.Read(inputChunk.AsSpan(pending * inputLength, inputLength), targetChunk.AsSpan(pending * targetLength, layout.TargetLength), cursor.Position);
                    rows++;
                    if (++pending == ChunkRows)
                    {
                        Flush(ref inputs, ref targets, inputChunk, targetChunk, rows - pending, pending);
                        pending = 0;
                    }
                }
            }

            Flush(ref inputs, ref targets, inputChunk, targetChunk, rows - pending, pending);
            if (rows == 0)
            {
                throw new InvalidOperationException($"The training data is empty: no rows to read from columns {string.Join(", ", layout.Columns.Select(c => $"'{c.Name}'"))}.");
            }

            using var scope = NewDisposeScope();
            var x = inputs.narrow(0, 0, rows).reshape([rows, .. layout.InputShape]).to(device);
            var y = targets.narrow(0, 0, rows).reshape([rows, .. layout.TargetShape]).to(layout.TargetType).to(device);
            return new TensorDataset(x.contiguous().MoveToOuterDisposeScope(), y.contiguous().MoveToOuterDisposeScope());
        }
        finally
        {
            inputs.Dispose();
            targets.Dispose();
        }
    }

    private static void Flush(ref Tensor inputs, ref Tensor targets, float[] inputChunk, float[] targetChunk, long start, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (start + count > inputs.shape[0])
        {
            var capacity = Math.Max(start + count, inputs.shape[0] * 2);
            inputs = Grow(inputs, capacity);
            targets = Grow(targets, capacity);
        }

        var inputLength = (int)inputs.shape[1];
        var targetLength = (int)targets.shape[1];
        inputs.data<float>().CopyFrom(inputChunk.AsSpan(0, count * inputLength), 0, start * inputLength);
        targets.data<float>().CopyFrom(targetChunk.AsSpan(0, count * targetLength), 0, start * targetLength);
    }

    private static Tensor Grow(Tensor tensor, long capacity)
    {
        var grown = empty([capacity, tensor.shape[1]], ScalarType.Float32);
        grown.narrow(0, 0, tensor.shape[0]).copy_(tensor);
        tensor.Dispose();
        return grown;
    }
}

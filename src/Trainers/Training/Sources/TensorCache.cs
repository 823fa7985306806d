using System.Runtime.InteropServices;
using DeepLearning.Trainers.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// Reads an <see cref="ExampleLayout"/> once into one input tensor and one target tensor. Rows are
/// written straight into the tensors' native memory through windows of at most
/// <see cref="WindowBytes"/>; there is no managed copy of the data. When the row count is known the
/// tensors are allocated once; otherwise rows go into chunks of <see cref="ChunkBytes"/> that are
/// moved into one tensor at the end (one chunk at a time, so the peak stays near one copy).
/// </summary>
internal static class TensorCache
{
    /// <summary>Bytes of examples per chunk when the row count is unknown.</summary>
    public const long ChunkBytes = 64L << 20;

    /// <summary>Largest span of native memory written at once.</summary>
    public const long WindowBytes = 64L << 20;

    /// <summary>Bytes one example takes in the cache (inputs as float32, targets as the layout's target type).</summary>
    public static long BytesPerRow(ExampleLayout layout)
        => (layout.InputLength * sizeof(float)) + ((long)layout.TargetLength * layout.TargetType.ElementSize());

    /// <summary>Reads every row, or returns <see langword="null"/> as soon as the rows exceed <paramref name="maxBytes"/>.</summary>
    /// <param name="layout">The examples.</param>
    /// <param name="device">Device of the cached tensors.</param>
    /// <param name="maxBytes">Budget, see <see cref="BytesPerRow"/>.</param>
    /// <param name="rowsRead">Rows read (when the budget was exceeded: rows that fitted).</param>
    /// <param name="chunkBytes">Bytes per chunk when the row count is unknown.</param>
    /// <exception cref="InvalidOperationException">The data has no rows, or a reader rejected a value.</exception>
    public static CachedBatchSource? TryRead(ExampleLayout layout, Device device, long maxBytes, out long rowsRead, long chunkBytes = ChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var rowBytes = Math.Max(1, BytesPerRow(layout));
        var maxRows = maxBytes / rowBytes;
        var known = layout.Data.GetRowCount();
        rowsRead = 0;
        if (known > maxRows)
        {
            return null;
        }

        var chunkRows = known is { } n ? Math.Max(n, 1) : Math.Clamp(chunkBytes / rowBytes, 1, Math.Max(1, maxRows));
        var chunks = new List<(Tensor Inputs, Tensor Targets, long Rows)>();
        var keys = new List<ulong>((int)Math.Min(known ?? 1024, int.MaxValue));
        try
        {
            using (var cursor = layout.Data.GetRowCursor(layout.Columns))
            {
                using var reader = layout.CreateReader(cursor);
                var ids = cursor.GetIdGetter();
                var pending = cursor.MoveNext();
                while (pending)
                {
                    if (rowsRead >= maxRows)
                    {
                        return null;
                    }

                    var capacity = Math.Min(chunkRows, maxRows - rowsRead);
                    var inputs = NewTensor(capacity, layout.InputShape);
                    var targets = NewTensor(capacity, layout.TargetShape);
                    chunks.Add((inputs, targets, 0));
                    var filled = Fill(layout, cursor, reader, ids, inputs, targets, keys, ref pending);
                    chunks[^1] = (inputs, targets, filled);
                    rowsRead += filled;
                }
            }

            if (rowsRead == 0)
            {
                throw new InvalidOperationException($"The data is empty: it has no rows (columns {string.Join(", ", layout.Columns.Select(c => $"'{c.Name}'"))}).");
            }

            var (allInputs, allTargets) = Combine(chunks, rowsRead, layout);
            chunks.Clear();
            return CachedBatchSource.FromCache(Finish(allInputs, ScalarType.Float32, device), Finish(allTargets, layout.TargetType, device), [.. keys]);
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                chunk.Inputs.Dispose();
                chunk.Targets.Dispose();
            }
        }
    }

    /// <summary>Reads rows into <paramref name="inputs"/> and <paramref name="targets"/> until they are full or the cursor ends.</summary>
    private static long Fill(ExampleLayout layout, DataViewRowCursor cursor, IExampleReader reader, ValueGetter<DataViewRowId> ids, Tensor inputs, Tensor targets, List<ulong> keys, ref bool pending)
    {
        int inputLength = layout.InputLength, targetLength = layout.TargetLength;
        var capacity = inputs.shape[0];
        var windowRows = Math.Max(1, WindowBytes / Math.Max(1, (long)inputLength * sizeof(float)));
        DataViewRowId id = default;
        long filled = 0;
        while (pending && filled < capacity)
        {
            var rows = Math.Min(windowRows, capacity - filled);
            using var inputWindow = inputs.narrow(0, filled, rows);
            using var targetWindow = targets.narrow(0, filled, rows);
            var inputSpan = MemoryMarshal.Cast<byte, float>(inputWindow.bytes);
            var targetSpan = MemoryMarshal.Cast<byte, float>(targetWindow.bytes);
            var row = 0;
            for (; row < rows && pending; row++)
            {
                reader.Read(inputSpan.Slice(row * inputLength, inputLength), targetSpan.Slice(row * targetLength, targetLength), cursor.Position);
                ids(ref id);
                keys.Add(RowSplit.Key(id));
                pending = cursor.MoveNext();
            }

            filled += row;
        }

        return filled;
    }

    /// <summary>One tensor of all rows: the single chunk as it is, or the chunks moved one by one into a new tensor.</summary>
    private static (Tensor Inputs, Tensor Targets) Combine(List<(Tensor Inputs, Tensor Targets, long Rows)> chunks, long rows, ExampleLayout layout)
    {
        if (chunks.Count == 1 && chunks[0].Rows == chunks[0].Inputs.shape[0])
        {
            return (chunks[0].Inputs, chunks[0].Targets);
        }

        // torch.empty commits memory only as it is written, so disposing each chunk after its copy keeps the peak near one copy.
        var inputs = NewTensor(rows, layout.InputShape);
        var targets = NewTensor(rows, layout.TargetShape);
        long start = 0;
        using (torch.no_grad())
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var (chunkInputs, chunkTargets, chunkRows) = chunks[i];
                using (var scope = NewDisposeScope())
                {
                    inputs.narrow(0, start, chunkRows).copy_(chunkInputs.narrow(0, 0, chunkRows));
                    targets.narrow(0, start, chunkRows).copy_(chunkTargets.narrow(0, 0, chunkRows));
                }

                chunkInputs.Dispose();
                chunkTargets.Dispose();
                start += chunkRows;
            }
        }

        return (inputs, targets);
    }

    /// <summary>Converts to the element type and moves to the device, disposing the input when a new tensor results.</summary>
    private static Tensor Finish(Tensor tensor, ScalarType type, Device device)
    {
        if (tensor.dtype == type && SameDevice(tensor.device, device))
        {
            return tensor;
        }

        using var scope = NewDisposeScope();
        var result = tensor.to(type, device).DetachFromDisposeScope();
        tensor.Dispose();
        return result;
    }

    /// <summary>Whether two devices are the same (an unspecified index matches any).</summary>
    public static bool SameDevice(Device a, Device b)
        => a.type == b.type && (a.type == TorchSharp.DeviceType.CPU || a.index == b.index || a.index < 0 || b.index < 0);

    private static Tensor NewTensor(long rows, IReadOnlyList<long> rowShape)
    {
        using var scope = NewDisposeScope();
        return torch.empty([rows, .. rowShape], ScalarType.Float32).DetachFromDisposeScope();
    }
}

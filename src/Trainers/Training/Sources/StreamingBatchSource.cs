using DeepLearning.Trainers.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// Examples read through a cursor of <see cref="ExampleLayout.Data"/> on every pass, on a background
/// thread that stays at most <see cref="PrefetchBatches"/> batches ahead, so data larger than memory
/// trains. A shuffled pass uses ML.NET's cursor shuffling (<c>GetRowCursor(columns, new Random(seed))</c>)
/// when the data can shuffle (<see cref="IDataView.CanShuffle"/>), otherwise a seeded
/// <see cref="ShuffleBuffer"/> of <see cref="ShuffleBufferBytes"/> of examples (at least 1 and at most
/// <see cref="MaxShuffleBufferRows"/> rows). Validation parts are chosen by <see cref="RowSplit"/>.
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource
{
    /// <summary>Batches read ahead of training.</summary>
    public const int PrefetchBatches = 3;

    /// <summary>Size of the shuffle buffer for data that cannot shuffle, in bytes of examples.</summary>
    public const long ShuffleBufferBytes = 64L << 20;

    /// <summary>Largest number of rows in the shuffle buffer.</summary>
    public const int MaxShuffleBufferRows = 100_000;

    private readonly ExampleLayout _layout;
    private readonly Part? _part;
    private long? _count;

    /// <summary>A source over every row of <paramref name="layout"/>.</summary>
    /// <param name="layout">The examples.</param>
    /// <param name="device">Device of the batches.</param>
    /// <param name="shuffleBufferRows">Rows of the shuffle buffer; <see langword="null"/>: <see cref="ShuffleBufferBytes"/> of examples, at most <see cref="MaxShuffleBufferRows"/>.</param>
    public StreamingBatchSource(ExampleLayout layout, Device device, int? shuffleBufferRows = null)
        : this(layout, device, null, null, shuffleBufferRows ?? (int)Math.Clamp(ShuffleBufferBytes / Math.Max(1, TensorCache.BytesPerRow(layout)), 1, MaxShuffleBufferRows))
    {
    }

    private StreamingBatchSource(ExampleLayout layout, Device device, Part? part, long? count, int shuffleBufferRows)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Device = device ?? throw new ArgumentNullException(nameof(device));
        _part = part;
        _count = count;
        ShuffleBufferRows = shuffleBufferRows;
    }

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>Rows in the shuffle buffer for data that cannot shuffle.</summary>
    public int ShuffleBufferRows { get; }

    /// <inheritdoc />
    public long CountRows() => _count ??= _part is null && _layout.Data.GetRowCount() is { } n ? n : Count(null).Train;

    /// <inheritdoc />
    public IBatchReader Open(int batchSize, BatchOrder order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (order.Indices is not null)
        {
            throw new NotSupportedException("A streaming source reads rows in cursor order and cannot follow a sampler's row indices; cache the data (raise the cache budget) to use a sampler.");
        }

        return new PrefetchingReader((take, publish, token) => Produce(order.ShuffleSeed, take, publish, token), batchSize, _layout, Device);
    }

    /// <inheritdoc />
    public (IBatchSource Train, IBatchSource Validation) Split(double fraction, int seed)
    {
        if (_part is not null)
        {
            throw new NotSupportedException("A part of a streaming source cannot be split again.");
        }

        var (train, validation) = Count(new Part(seed, fraction, false));
        if (train == 0 || validation == 0)
        {
            throw new InvalidOperationException($"A validation fraction of {fraction} of {train + validation} rows leaves an empty training or validation part; use more data or another fraction.");
        }

        return (new StreamingBatchSource(_layout, Device, new Part(seed, fraction, false), train, ShuffleBufferRows), new StreamingBatchSource(_layout, Device, new Part(seed, fraction, true), validation, ShuffleBufferRows));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Counts the rows of a part and of its complement (or all rows) with a pass that reads only row ids.</summary>
    private (long Train, long Validation) Count(Part? part)
    {
        long inPart = 0, outside = 0;
        using var cursor = _layout.Data.GetRowCursor([]);
        var ids = cursor.GetIdGetter();
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            ids(ref id);
            if (part is null || part.Contains(id))
            {
                inPart++;
            }
            else
            {
                outside++;
            }
        }

        return part is { Validation: false } ? (inPart, outside) : (inPart, 0);
    }

    /// <summary>Runs on the background thread: reads the rows of one pass into blocks.</summary>
    private void Produce(int? shuffleSeed, Func<RowBlock> take, Action<RowBlock> publish, CancellationToken token)
    {
        var data = _layout.Data;
        var cursorShuffles = shuffleSeed is not null && data.CanShuffle;
        using var cursor = cursorShuffles ? data.GetRowCursor(_layout.Columns, new Random(shuffleSeed!.Value)) : data.GetRowCursor(_layout.Columns);
        using var reader = _layout.CreateReader(cursor);
        var ids = cursor.GetIdGetter();
        var buffer = shuffleSeed is { } seed && !cursorShuffles ? new ShuffleBuffer(ShuffleBufferRows, _layout.InputLength, _layout.TargetLength, new Random(seed)) : null;
        RowBlock? block = null;
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            token.ThrowIfCancellationRequested();
            ids(ref id);
            if (_part is not null && !_part.Contains(id))
            {
                continue;
            }

            // Positions of a shuffled cursor are not row numbers: errors name the row id instead.
            var position = cursorShuffles ? (long)id.Low : cursor.Position;
            if (buffer is null)
            {
                block ??= take();
                reader.Read(block.Input(block.Rows), block.Target(block.Rows), position);
                block.Rows++;
            }
            else
            {
                if (buffer.IsFull)
                {
                    block ??= take();
                    buffer.EvictInto(block);
                }

                buffer.Read(reader, position);
            }

            if (block is { IsFull: true })
            {
                publish(block);
                block = null;
            }
        }

        while (buffer is not null)
        {
            block ??= take();
            if (!buffer.DrainInto(block))
            {
                break;
            }

            if (block.IsFull)
            {
                publish(block);
                block = null;
            }
        }

        if (block is { Rows: > 0 })
        {
            publish(block);
        }
    }

    /// <summary>The training (<paramref name="Validation"/> false) or validation part of a <see cref="RowSplit"/>.</summary>
    private sealed record Part(int Seed, double Fraction, bool Validation)
    {
        public bool Contains(DataViewRowId id) => RowSplit.IsValidation(RowSplit.Key(id), Seed, Fraction) == Validation;
    }
}

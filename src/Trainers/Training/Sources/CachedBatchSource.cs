using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// Examples held in memory as one contiguous input tensor <c>[N, ..InputShape]</c> and one target
/// tensor <c>[N, ..TargetShape]</c> on the training device. A pass slices batches with
/// <c>narrow</c> (rows in order) or <c>index_select</c> (a shuffle or a sampler's order). A
/// validation split makes two sources that index into the same tensors: the data is never copied.
/// </summary>
internal sealed class CachedBatchSource : IRandomAccessBatchSource
{
    private readonly Storage _storage;
    private readonly bool _ownsStorage;
    private readonly long[]? _rowList;
    private readonly Tensor? _rows;
    private Tensor? _targets;

    private CachedBatchSource(Storage storage, bool ownsStorage, long[]? rowList)
    {
        _storage = storage;
        _ownsStorage = ownsStorage;
        _rowList = rowList;
        if (rowList is not null)
        {
            using var scope = NewDisposeScope();
            _rows = torch.tensor(rowList, ScalarType.Int64).to(storage.Inputs.device).DetachFromDisposeScope();
        }
    }

    /// <summary>The input tensor all parts of this source index into.</summary>
    public Tensor Inputs => _storage.Inputs;

    /// <summary>Number of rows of this source (of a part, after a split).</summary>
    public long Count => _rowList?.LongLength ?? _storage.Inputs.shape[0];

    /// <inheritdoc />
    public Device Device => _storage.Inputs.device;

    /// <inheritdoc />
    public Tensor Targets => _rows is null ? _storage.Targets : _targets ??= IndexTargets(_storage.Targets, _rows);

    /// <summary>A source over tensors it takes ownership of; row ids (for splits) are the row positions.</summary>
    /// <param name="inputs">Inputs <c>[N, ...]</c>, contiguous.</param>
    /// <param name="targets">Targets <c>[N, ...]</c> on the same device.</param>
    /// <exception cref="ArgumentException">The row counts differ or are zero, or the devices differ.</exception>
    public static CachedBatchSource FromTensors(Tensor inputs, Tensor targets) => new(new Storage(inputs, targets, null), true, null);

    /// <summary>A source over tensors read from a layout, with the rows' <see cref="RowSplit"/> keys.</summary>
    internal static CachedBatchSource FromCache(Tensor inputs, Tensor targets, ulong[] keys) => new(new Storage(inputs, targets, keys), true, null);

    /// <inheritdoc />
    public long CountRows() => Count;

    /// <inheritdoc />
    public IBatchReader Open(int batchSize, BatchOrder order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var scope = NewDisposeScope();
        Tensor? local = order.Indices?.to(ScalarType.Int64, Device);
        if (order.ShuffleSeed is { } seed)
        {
            local = Shuffling.Permutation(Count, seed).to(Device);
        }

        if (local is null)
        {
            return new Reader(_storage, _rows, false, Count, batchSize);
        }

        // The storage rows of this pass, owned by the reader (a new tensor even when it aliases the caller's).
        var rows = (_rows is null ? local : _rows.index_select(0, local)).DetachFromDisposeScope();
        return new Reader(_storage, rows, true, rows.shape[0], batchSize);
    }

    /// <inheritdoc />
    public (IBatchSource Train, IBatchSource Validation) Split(double fraction, int seed)
    {
        var train = new List<long>();
        var validation = new List<long>();
        for (long i = 0; i < Count; i++)
        {
            var row = _rowList?[i] ?? i;
            (RowSplit.IsValidation(_storage.Key(row), seed, fraction) ? validation : train).Add(row);
        }

        if (train.Count == 0 || validation.Count == 0)
        {
            throw new InvalidOperationException($"A validation fraction of {fraction} of {Count} rows leaves an empty training or validation part; use more data or another fraction.");
        }

        return (new CachedBatchSource(_storage, false, [.. train]), new CachedBatchSource(_storage, false, [.. validation]));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rows?.Dispose();
        _targets?.Dispose();
        if (_ownsStorage)
        {
            _storage.Inputs.Dispose();
            _storage.Targets.Dispose();
        }
    }

    private static Tensor IndexTargets(Tensor targets, Tensor rows)
    {
        using var scope = NewDisposeScope();
        return targets.index_select(0, rows).DetachFromDisposeScope();
    }

    /// <summary>The tensors and row keys shared by a source and the parts split from it.</summary>
    private sealed class Storage
    {
        private readonly ulong[]? _keys;

        public Storage(Tensor inputs, Tensor targets, ulong[]? keys)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            ArgumentNullException.ThrowIfNull(targets);
            if (inputs.dim() == 0 || targets.dim() == 0 || inputs.shape[0] != targets.shape[0])
            {
                throw new ArgumentException($"Inputs ({string.Join('x', inputs.shape)}) and targets ({string.Join('x', targets.shape)}) must have the same number of rows.");
            }

            if (inputs.shape[0] == 0)
            {
                throw new ArgumentException("The data has no rows.");
            }

            if (!TensorCache.SameDevice(inputs.device, targets.device))
            {
                throw new ArgumentException($"Inputs are on {inputs.device} but targets on {targets.device}.");
            }

            Inputs = inputs;
            Targets = targets;
            _keys = keys;
        }

        public Tensor Inputs { get; }

        public Tensor Targets { get; }

        public ulong Key(long row) => _keys?[row] ?? (ulong)row;
    }

    /// <summary>One pass: consecutive slices of the stored rows or of an index tensor.</summary>
    private sealed class Reader(Storage storage, Tensor? rows, bool ownsRows, long count, int batchSize) : IBatchReader
    {
        private long _start;

        public bool TryRead(out Batch batch)
        {
            if (_start >= count)
            {
                batch = default;
                return false;
            }

            var length = Math.Min(batchSize, count - _start);
            if (rows is null)
            {
                batch = new Batch(storage.Inputs.narrow(0, _start, length), storage.Targets.narrow(0, _start, length));
            }
            else
            {
                using var index = rows.narrow(0, _start, length);
                batch = new Batch(storage.Inputs.index_select(0, index), storage.Targets.index_select(0, index));
            }

            _start += length;
            return true;
        }

        public void Dispose()
        {
            if (ownsRows)
            {
                rows?.Dispose();
            }
        }
    }
}

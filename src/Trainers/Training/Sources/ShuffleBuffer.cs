namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// A seeded shuffle buffer for data that cannot be shuffled by its cursor: it holds up to
/// <see cref="Capacity"/> rows; once full, every new row replaces a uniformly chosen buffered row,
/// which is emitted. At the end the remaining rows are emitted in random order. A row can move
/// forward by any distance but backward by at most about <see cref="Capacity"/> rows.
/// </summary>
internal sealed class ShuffleBuffer
{
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly int _inputLength;
    private readonly int _targetLength;
    private readonly Random _random;
    private int _count;
    private int _hole = -1;

    /// <summary>Creates an empty buffer.</summary>
    public ShuffleBuffer(int capacity, int inputLength, int targetLength, Random random)
    {
        Capacity = Math.Max(1, capacity);
        _inputLength = inputLength;
        _targetLength = targetLength;
        _inputs = new float[checked(Capacity * inputLength)];
        _targets = new float[checked(Capacity * targetLength)];
        _random = random;
    }

    /// <summary>Rows the buffer holds when full.</summary>
    public int Capacity { get; }

    /// <summary>Whether the next row needs room: call <see cref="EvictInto"/> first.</summary>
    public bool IsFull => _count == Capacity && _hole < 0;

    /// <summary>Moves a uniformly chosen buffered row into the next row of <paramref name="block"/>; its slot takes the next row.</summary>
    public void EvictInto(RowBlock block)
    {
        var slot = _random.Next(_count);
        CopyOut(slot, block);
        _hole = slot;
    }

    /// <summary>Reads the cursor's current row into the free slot.</summary>
    public void Read(Data.IExampleReader reader, long position)
    {
        var slot = _hole >= 0 ? _hole : _count;
        reader.Read(_inputs.AsSpan(slot * _inputLength, _inputLength), _targets.AsSpan(slot * _targetLength, _targetLength), position);
        if (_hole >= 0)
        {
            _hole = -1;
        }
        else
        {
            _count++;
        }
    }

    /// <summary>At the end of the data: moves a random remaining row into <paramref name="block"/>; <see langword="false"/> when empty.</summary>
    public bool DrainInto(RowBlock block)
    {
        if (_count == 0)
        {
            return false;
        }

        var slot = _random.Next(_count);
        CopyOut(slot, block);
        var last = _count - 1;
        _inputs.AsSpan(last * _inputLength, _inputLength).CopyTo(_inputs.AsSpan(slot * _inputLength, _inputLength));
        _targets.AsSpan(last * _targetLength, _targetLength).CopyTo(_targets.AsSpan(slot * _targetLength, _targetLength));
        _count--;
        return true;
    }

    private void CopyOut(int slot, RowBlock block)
    {
        _inputs.AsSpan(slot * _inputLength, _inputLength).CopyTo(block.Input(block.Rows));
        _targets.AsSpan(slot * _targetLength, _targetLength).CopyTo(block.Target(block.Rows));
        block.Rows++;
    }
}

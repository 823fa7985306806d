using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// One pass of a <see cref="StreamingBatchSource"/>: a background thread fills managed
/// <see cref="RowBlock"/>s (at most <see cref="StreamingBatchSource.PrefetchBatches"/> ahead of the
/// training thread), and <see cref="TryRead"/> copies each into tensors in the caller's dispose
/// scope. An exception of the background thread is rethrown by <see cref="TryRead"/> as the same
/// exception object (type, message, original stack trace). Disposing stops the thread.
/// </summary>
internal sealed class PrefetchingReader : IBatchReader
{
    private readonly BlockingCollection<RowBlock> _free = new();
    private readonly BlockingCollection<RowBlock> _full = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _inputShape;
    private readonly long[] _targetShape;
    private readonly ScalarType _targetType;
    private readonly Device _device;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _error;

    /// <summary>Starts the background thread.</summary>
    /// <param name="produce">Fills blocks taken from the first function and hands each full one to the second, until the data ends; runs on the background thread.</param>
    /// <param name="batchSize">Rows per block.</param>
    /// <param name="layout">Shapes and target type.</param>
    /// <param name="device">Device of the batches.</param>
    public PrefetchingReader(Action<Func<RowBlock>, Action<RowBlock>, CancellationToken> produce, int batchSize, Data.ExampleLayout layout, Device device)
    {
        _inputShape = [.. layout.InputShape];
        _targetShape = [.. layout.TargetShape];
        _targetType = layout.TargetType;
        _device = device;
        for (var i = 0; i <= StreamingBatchSource.PrefetchBatches; i++)
        {
            _free.Add(new RowBlock(batchSize, layout.InputLength, layout.TargetLength));
        }

        var token = _stop.Token;
        _thread = new Thread(() => Run(produce, token)) { IsBackground = true, Name = "DeepLearning batch prefetch" };
        _thread.Start();
    }

    /// <inheritdoc />
    public bool TryRead(out Batch batch)
    {
        if (!_full.TryTake(out var block, Timeout.Infinite))
        {
            _error?.Throw();
            batch = default;
            return false;
        }

        try
        {
            batch = new Batch(ToTensor(block.Inputs, block.Rows * block.InputLength, block.Rows, _inputShape), ToTensor(block.Targets, block.Rows * block.TargetLength, block.Rows, _targetShape));
        }
        finally
        {
            block.Rows = 0;
            _free.Add(block);
        }

        if (_targetType != ScalarType.Float32)
        {
            batch = batch with { Target = batch.Target.to(_targetType) };
        }

        if (_device.type != DeviceType.CPU)
        {
            batch = new Batch(batch.Input.to(_device), batch.Target.to(_device));
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _free.Dispose();
        _full.Dispose();
    }

    private static Tensor ToTensor(float[] values, int length, int rows, long[] rowShape)
    {
        var tensor = torch.empty([rows, .. rowShape], ScalarType.Float32);
        values.AsSpan(0, length).CopyTo(MemoryMarshal.Cast<byte, float>(tensor.bytes));
        return tensor;
    }

    private void Run(Action<Func<RowBlock>, Action<RowBlock>, CancellationToken> produce, CancellationToken token)
    {
        try
        {
            produce(() => _free.Take(token), block => _full.Add(block, token), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed before the end of the pass.
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _full.CompleteAdding();
        }
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Torch's process-wide state that a fit changes — the global random-number generator (weight
/// initialisation, dropout) and the intra-op thread count — set and restored under one lock, so two
/// fits in one process run one after the other instead of interfering.
/// </summary>
internal static class TorchState
{
    private static readonly object Gate = new();

    /// <summary>
    /// Takes the lock (waiting for another fit to end), saves the thread count and the generator's
    /// state, then seeds the generator with <paramref name="seed"/> and sets <paramref name="threads"/>.
    /// Disposing the result, on the same thread, restores both and releases the lock. Hold it
    /// around building the network and running the loop.
    /// </summary>
    /// <param name="seed">Seed of torch's global generator.</param>
    /// <param name="threads">Intra-op threads, or <see langword="null"/> to keep the current count.</param>
    public static IDisposable Enter(int seed, int? threads)
    {
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be at least 1.");
        }

        Monitor.Enter(Gate);
        try
        {
            return new Scope(seed, threads);
        }
        catch
        {
            Monitor.Exit(Gate);
            throw;
        }
    }

    private sealed class Scope : IDisposable
    {
        private readonly int _threads;
        private readonly Tensor _random;
        private bool _disposed;

        public Scope(int seed, int? threads)
        {
            _threads = torch.get_num_threads();
            using (var generator = Generator.Default)
            {
                _random = generator.get_state().DetachFromDisposeScope();
            }

            if (threads is { } count)
            {
                torch.set_num_threads(count);
            }

            torch.random.manual_seed(seed).Dispose();
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                torch.set_num_threads(_threads);
                using var generator = Generator.Default;
                generator.set_state(_random);
                _random.Dispose();
            }
            finally
            {
                Monitor.Exit(Gate);
            }
        }
    }
}

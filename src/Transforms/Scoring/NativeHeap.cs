using System.Runtime.InteropServices;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// Keeps libtorch's per-batch buffers in the C heap on Linux (glibc). A forward pass allocates its
/// activations anew each batch (the small CNN at batch 256: 25 MB for the first convolution's output
/// alone, about 100 MB in all) and frees them at the end of the batch. With glibc's defaults, blocks
/// that large are mapped and unmapped, or trimmed from the top of the heap, every batch, and the
/// kernel zero-fills every page again on first touch: about 8 million page faults over six scoring
/// passes of the Fashion-MNIST test set, a quarter of the forward time on this machine; training steps free
/// activations and gradients the same way. The first <see cref="NetworkModel"/> or training run of the
/// process therefore sets glibc's <c>M_MMAP_THRESHOLD</c> to
/// <see cref="MmapThresholdBytes"/> (glibc's maximum on 64-bit) and <c>M_TRIM_THRESHOLD</c> to
/// <see cref="TrimThresholdBytes"/>, so that freed activations are reused by the next batch. The cost
/// is that up to <see cref="TrimThresholdBytes"/> of freed memory may stay resident (flat, not growing).
/// Nothing is changed when the process already sets either threshold through glibc's environment
/// variables, when <see cref="OptOutVariable"/> is <c>1</c>, or off Linux or glibc.
/// </summary>
internal static class NativeHeap
{
    /// <summary>Blocks up to this size come from the heap (glibc refuses more than 32 MB on 64-bit).</summary>
    internal const int MmapThresholdBytes = 32 << 20;

    /// <summary>The heap is trimmed only when this much memory is free at its top.</summary>
    internal const int TrimThresholdBytes = 256 << 20;

    /// <summary>Set to <c>1</c> to keep glibc's allocator settings as they are.</summary>
    internal const string OptOutVariable = "DEEPLEARNING_KEEP_MALLOC_DEFAULTS";

    /// <summary>glibc's environment variables for the same thresholds; when set, the user's choice stands.</summary>
    internal static readonly string[] GlibcVariables = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"];

    // mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    private static readonly bool Applied = Apply();

    /// <summary>Whether the thresholds were set for this process (done once, on first call).</summary>
    internal static bool EnsureConfigured() => Applied;

    /// <summary>Whether the thresholds should be set, given the process's environment.</summary>
    /// <param name="environment">Reads an environment variable (<see langword="null"/> when unset).</param>
    internal static bool ShouldApply(Func<string, string?> environment)
        => OperatingSystem.IsLinux()
            && environment(OptOutVariable) != "1"
            && GlibcVariables.All(name => string.IsNullOrEmpty(environment(name)));

    private static bool Apply()
    {
        if (!ShouldApply(Environment.GetEnvironmentVariable))
        {
            return false;
        }

        try
        {
            // mallopt returns 1 on success; a C library without it (musl) throws or returns 0.
            return mallopt(MmapThreshold, MmapThresholdBytes) == 1 && mallopt(TrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}

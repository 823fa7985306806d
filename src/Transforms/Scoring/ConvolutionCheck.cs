using System.Diagnostics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Scoring;

/// <summary>
/// Checks once per process that libtorch's convolution computes what a convolution is, and turns
/// libtorch's oneDNN (MKL-DNN) backend off when it does not. Measured on an AMD EPYC of family 26
/// (Zen 5) with libtorch 2.10 / oneDNN 3.7.1, in a virtual machine whose CPUID reports no cache geometry or
/// core topology (leaves 4, 0x8000001D and 0xB are zero), which is the likely cause: a 3×3 convolution of a batch of two or more images
/// was wrong by up to 0.9 with oneDNN's AVX-512 kernels for more than 16 input channels, not a multiple
/// of 16 (17–31, 33–47, …), and with its AVX2 and AVX kernels (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>) for input
/// channels not a multiple of 8 (its SSE4.1 kernels and libtorch's own im2col path were right in all 2,940
/// shapes of a sweep; so was PyTorch 1.13 on the same machine), which breaks AlexNet, GoogLeNet and any user
/// network with such widths; the input gradient was wrong for many more (output widths not a multiple of 16,
/// or of 8 with AVX2). The check convolves a fixed batch with 20 input channels and 12 filters and compares it with
/// the definition (an unfold and an element-wise product summed, neither of which goes through
/// oneDNN or BLAS), output and input gradient; on a mismatch it calls libtorch's <c>at::Context::setUserEnabledMkldnn(false)</c>,
/// as PyTorch's <c>torch.backends.mkldnn.enabled = False</c> does, and checks again. It draws no
/// random numbers, so seeded runs are unchanged. It also turns NNPACK off when NNPACK cannot
/// initialise on the CPU (<c>at::_nnpack_available()</c> is false): libtorch otherwise tries it again,
/// and prints "Could not initialize NNPACK", on every convolution without oneDNN.
/// <see cref="OptOutVariable"/> = <c>1</c> skips both.
/// </summary>
internal static class ConvolutionCheck
{
    /// <summary>Set to <c>1</c> to skip the check and keep libtorch's backends as they are.</summary>
    internal const string OptOutVariable = "DEEPLEARNING_KEEP_ONEDNN";

    /// <summary>Largest difference from the definition a correct convolution shows here (float32 sums of 180 products).</summary>
    internal const double Tolerance = 1e-3;

    /// <summary>What a training run logs when the check turned oneDNN off.</summary>
    internal const string DisabledWarning =
        "libtorch's oneDNN convolution gave wrong results on this CPU, so it is disabled for this process and libtorch's own, slower " +
        "convolution is used. On the CPU where this was seen (AMD family 26) oneDNN's SSE4.1 kernels were right and 2.6-2.9x faster on " +
        "ResNet-20 training steps: start the process with ONEDNN_MAX_CPU_ISA=SSE41 to use them (the check then passes).";

    private static readonly Lazy<ConvolutionCheckResult> Result = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs the check on first call (thread-safe) and returns what it found.</summary>
    /// <exception cref="InvalidOperationException">Convolutions stay wrong and the backend could not be switched.</exception>
    internal static ConvolutionCheckResult EnsureVerified() => Result.Value;

    /// <summary>
    /// The largest absolute difference between libtorch's convolution and its definition on the check's batch,
    /// in the output or in the gradient with respect to the images (oneDNN's backward-data kernel failed for
    /// output widths that are not a multiple of 16, and its AVX2 kernels for widths not a multiple of 8, such as this batch's 12).
    /// </summary>
    internal static double Discrepancy()
    {
        using var grad = enable_grad();
        using var scope = NewDisposeScope();

        // [2, 20, 6, 6] images and [12, 20, 3, 3] filters of fixed values in [-1, 1]: 20 input channels are not a
        // multiple of 8 or 16, nor are 12 outputs, which is what each of the failing kernel families got wrong.
        var images = arange(2 * 20 * 6 * 6, ScalarType.Float32).mul_(0.37).sin_().view(2, 20, 6, 6).requires_grad_();
        var filters = arange(12 * 20 * 3 * 3, ScalarType.Float32).mul_(0.11).cos_().view(12, 20, 3, 3);
        var actual = nn.functional.conv2d(images, filters, padding: [1, 1]);
        var patches = nn.functional.unfold(images, 3, padding: 1);              // [2, 180, 36]
        var expected = filters.view(1, 12, 180, 1).mul(patches.unsqueeze(1)).sum(2).view(2, 12, 6, 6);
        var upstream = arange(expected.numel(), ScalarType.Float32).mul_(0.23).sin_().view(expected.shape);
        var actualGradient = autograd.grad([actual], [images], [upstream])[0];
        var expectedGradient = autograd.grad([expected], [images], [upstream])[0];
        return Math.Max(actual.sub(expected).abs().max().item<float>(), actualGradient.sub(expectedGradient).abs().max().item<float>());
    }

    private static ConvolutionCheckResult Run()
    {
        if (Environment.GetEnvironmentVariable(OptOutVariable) == "1")
        {
            return ConvolutionCheckResult.Skipped;
        }

        TryDisableUnavailableNnpack();
        double before = Discrepancy();
        if (before <= Tolerance)
        {
            return ConvolutionCheckResult.Correct;
        }

        if (!TryDisableOneDnn())
        {
            throw new InvalidOperationException(
                $"libtorch's convolution gives wrong results on this CPU (off by {before:G3} on a check batch) and its oneDNN backend " +
                "could not be switched off from here. Set the environment variable ONEDNN_MAX_CPU_ISA=SSE41 before starting the process.");
        }

        double after = Discrepancy();
        if (after > Tolerance)
        {
            throw new InvalidOperationException(
                $"libtorch's convolution gives wrong results on this CPU (off by {before:G3} with oneDNN, {after:G3} without it).");
        }

        Trace.TraceWarning($"DeepLearning: off by {before:G3}. {DisabledWarning}");
        return ConvolutionCheckResult.OneDnnDisabled;
    }

    private static bool TryDisableOneDnn()
    {
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), false);
            return !UserEnabledMkldnn(GlobalContext());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another platform's C++ name mangling, or a libtorch without these entry points.
            return false;
        }
    }

    private static void TryDisableUnavailableNnpack()
    {
        try
        {
            if (!NnpackAvailable())
            {
                SetUserEnabledNnpack(GlobalContext(), false);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // As above: nothing to switch off from here.
        }
    }

    // libtorch's C++ API (Itanium ABI names, as libtorch_cpu exports them on Linux).
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at6native17_nnpack_availableEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool NnpackAvailable();
}

/// <summary>What <see cref="ConvolutionCheck"/> found.</summary>
internal enum ConvolutionCheckResult
{
    /// <summary>The convolution matched its definition; nothing changed.</summary>
    Correct,

    /// <summary>It did not with oneDNN, and does with oneDNN disabled.</summary>
    OneDnnDisabled,

    /// <summary>Not checked (<see cref="ConvolutionCheck.OptOutVariable"/>).</summary>
    Skipped,
}

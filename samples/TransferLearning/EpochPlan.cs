namespace DeepLearning.Samples.TransferLearning;

/// <summary>
/// How long each network fit trains on a subset, so that small subsets still see a reasonable number
/// of optimiser steps: epochs shrink as the subset grows, batches are at most a tenth of it.
/// </summary>
/// <param name="Epochs">Epochs of the fit.</param>
/// <param name="BatchSize">Rows per batch.</param>
internal sealed record EpochPlan(int Epochs, int BatchSize)
{
    /// <summary>Training samples (epochs × rows) per class each fit aims at in the full run.</summary>
    private const int SamplesPerClass = 1500;

    /// <summary>Training samples per class each fit aims at in a smoke run.</summary>
    private const int QuickSamplesPerClass = 200;

    /// <summary>The plan for <paramref name="perClass"/> examples per class: max(5, 1500/n) epochs up to 100 (smoke run: max(2, 200/n) up to 20), batch min(64, 10·n).</summary>
    /// <param name="perClass">Examples per class in the training subset.</param>
    /// <param name="quick">Whether this is a smoke run.</param>
    /// <returns>The plan.</returns>
    public static EpochPlan For(int perClass, bool quick)
    {
        int epochs = quick
            ? Math.Clamp(QuickSamplesPerClass / perClass, 2, 20)
            : Math.Clamp(SamplesPerClass / perClass, 5, 100);
        return new EpochPlan(epochs, Math.Min(64, 10 * perClass));
    }
}

using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Echoes the trainer's lines about where its batches come from (cached as one tensor, or streamed) from <see cref="MLContext.Log"/>.</summary>
internal static class TrainerLog
{
    private static readonly string[] Prefixes = ["Caching ", "Streaming"];

    /// <summary>Prints the batch-source lines of every trainer fitted with <paramref name="ml"/>.</summary>
    public static void ShowBatchSources(MLContext ml)
        => ml.Log += (_, e) =>
        {
            if (Prefixes.Any(p => e.RawMessage.StartsWith(p, StringComparison.Ordinal)))
            {
                Console.WriteLine($"  [{e.Source}] {e.RawMessage}");
            }
        };
}

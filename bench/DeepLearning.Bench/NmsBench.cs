using System.Diagnostics;
using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// Non-maximum suppression speed: 1,000 and 5,000 random boxes (10–70 px squares' corners spread over a
/// 600×600 image, seeded), class-agnostic at IoU 0.5 and 0.7, 2 threads, 20 timed calls after 3 warm-up
/// calls each; prints one JSON line per case with the median, the fastest and the boxes kept.
/// </summary>
internal static class NmsBench
{
    private const int WarmUp = 3;
    private const int Timed = 20;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        set_num_threads(CnnBench.Threads);
        foreach (int count in new[] { 1000, 5000 })
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(1);
            var corner = rand([count, 2], generator: generator) * 600;
            var size = (rand([count, 2], generator: generator) * 60) + 10;
            var boxes = cat([corner, corner + size], 1);
            var scores = rand([count], generator: generator);
            foreach (double threshold in new[] { 0.5, 0.7 })
            {
                var times = new List<double>();
                long kept = 0;
                for (int i = 0; i < WarmUp + Timed; i++)
                {
                    using var call = NewDisposeScope();
                    var watch = Stopwatch.StartNew();
                    kept = NonMaxSuppression.Apply(boxes, scores, threshold).shape[0];
                    if (i >= WarmUp)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                times.Sort();
                Console.WriteLine($"{{\"bench\":\"nms\",\"boxes\":{count},\"iouThreshold\":{threshold},\"kept\":{kept},\"medianMs\":{times[times.Count / 2]:F3},\"fastestMs\":{times[0]:F3}}}");
            }
        }

        return 0;
    }
}

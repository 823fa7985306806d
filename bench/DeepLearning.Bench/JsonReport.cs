using System.Text;
using System.Text.Json;

namespace DeepLearning.Bench;

/// <summary>The measurements of one epoch.</summary>
internal sealed record EpochResult(int Epoch, double Seconds, double SamplesPerSecond, double TrainLoss, double TestAccuracy, double RssMb);

/// <summary>Writes benchmark results as one JSON object per line on standard output.</summary>
internal static class JsonReport
{
    public static void Epoch(string bench, EpochResult result)
    {
        Line(w =>
        {
            w.WriteString("bench", bench);
            w.WriteNumber("epoch", result.Epoch);
            w.WriteNumber("seconds", Math.Round(result.Seconds, 3));
            w.WriteNumber("samplesPerSecond", Math.Round(result.SamplesPerSecond, 1));
            w.WriteNumber("trainLoss", Math.Round(result.TrainLoss, 5));
            w.WriteNumber("testAccuracy", Math.Round(result.TestAccuracy, 5));
            w.WriteNumber("rssMb", Math.Round(result.RssMb, 1));
        });
    }

    /// <summary>Mean of the epochs' seconds over epochs 2..N (epoch 1 alone when there is only one).</summary>
    public static double SteadySecondsPerEpoch(IEnumerable<double> seconds)
    {
        var all = seconds.ToList();
        return all.Count > 1 ? all.Skip(1).Average() : all[0];
    }

    /// <summary>
    /// The summary: mean seconds per epoch over epochs 2..N (epoch 1 includes warm-up; with one
    /// epoch it is used alone), peak RSS, and RSS growth from epoch 2 to the last.
    /// </summary>
    public static void Summary(string bench, string data, IReadOnlyList<EpochResult> epochs, double startRssMb)
    {
        var steady = epochs.Count > 1 ? epochs.Skip(1).ToList() : epochs.ToList();
        var last = epochs[^1];
        Line(w =>
        {
            w.WriteString("bench", bench);
            w.WriteString("summary", "epochs 2..N");
            w.WriteString("data", data);
            w.WriteNumber("epochs", epochs.Count);
            w.WriteNumber("meanSecondsPerEpoch", Math.Round(steady.Average(e => e.Seconds), 3));
            w.WriteNumber("meanSamplesPerSecond", Math.Round(steady.Average(e => e.SamplesPerSecond), 1));
            w.WriteNumber("finalTrainLoss", Math.Round(last.TrainLoss, 5));
            w.WriteNumber("finalTestAccuracy", Math.Round(last.TestAccuracy, 5));
            w.WriteNumber("testAccuracy", Math.Round(last.TestAccuracy, 5));
            w.WriteNumber("startRssMb", Math.Round(startRssMb, 1));
            w.WriteNumber("peakRssMb", Math.Round(epochs.Max(e => e.RssMb), 1));
            w.WriteNumber("processPeakRssMb", Math.Round(Rss.PeakMb(), 1));
            w.WriteNumber("rssGrowthMb", Math.Round(last.RssMb - steady[0].RssMb, 1));
        });
    }

    /// <summary>Writes one JSON object, filled by <paramref name="body"/>, as a line.</summary>
    public static void Line(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        Console.Out.Flush();
    }
}

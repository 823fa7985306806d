using System.Diagnostics;
using DeepLearning.Transforms.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// Mode <c>yolo-profile</c>: what a training step of the <c>yolo</c> mode's detector (<c>--arch</c>, <c>--size</c>)
/// costs in plain TorchSharp, to compare convolution backends (start the process with or without
/// <c>ONEDNN_MAX_CPU_ISA</c>): batches of 32 random 3-channel scenes, a head for 10 classes as Fashion-MNIST's, Adam, two threads, a squared-output loss
/// (the network's cost, not the detection loss's). Times <see cref="Steps"/> steps after <see cref="WarmupSteps"/>
/// warm-up steps, forward and backward + optimiser step apart, and the eval-mode forward under no_grad at batch 32;
/// prints what the convolution check found (<c>oneDnn</c>: <c>Correct</c>, <c>OneDnnDisabled</c> or <c>Skipped</c>).
/// </summary>
internal static class YoloProfile
{
    private const int Steps = 10;
    private const int WarmupSteps = 2;
    private const int Batch = 32;
    private const int Classes = 10;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        torch.set_num_threads(CnnBench.Threads);
        torch.random.manual_seed(1);
        var check = ConvolutionCheck.EnsureVerified();
        var spec = YoloBench.Architecture(options.Architecture) with { InputChannels = 3, InputHeight = options.SceneSize, InputWidth = options.SceneSize };
        var (gridHeight, gridWidth) = spec.Grid();
        using var network = (spec with { OutputSize = gridHeight * gridWidth * spec.AnchorCount * (5 + Classes) }).Build();
        using var optimizer = torch.optim.Adam(network.parameters(), lr: 1e-3);
        using var images = torch.rand(Batch, 3, options.SceneSize, options.SceneSize);
        double forward = 0, backward = 0, inference = 0;
        network.train();
        for (int step = 0; step < WarmupSteps + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            var loss = network.call(images).square().mean();
            _ = loss.item<float>();
            double forwardMs = watch.Elapsed.TotalMilliseconds;
            loss.backward();
            optimizer.step();
            optimizer.zero_grad();
            if (step >= WarmupSteps)
            {
                forward += forwardMs;
                backward += watch.Elapsed.TotalMilliseconds - forwardMs;
            }
        }

        network.eval();
        using (torch.no_grad())
        {
            for (int step = 0; step < WarmupSteps + Steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                var watch = Stopwatch.StartNew();
                _ = network.call(images).sum().item<float>();
                if (step >= WarmupSteps)
                {
                    inference += watch.Elapsed.TotalMilliseconds;
                }
            }
        }

        JsonReport.Line(w =>
        {
            w.WriteString("bench", "yolo-profile");
            w.WriteString("arch", YoloBench.ArchitectureName(options.Architecture));
            w.WriteNumber("size", options.SceneSize);
            w.WriteString("oneDnnIsa", Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "default");
            w.WriteString("oneDnn", check.ToString());
            w.WriteNumber("batch", Batch);
            w.WriteNumber("forwardMs", Math.Round(forward / Steps, 1));
            w.WriteNumber("backwardStepMs", Math.Round(backward / Steps, 1));
            w.WriteNumber("trainingImagesPerSecond", Math.Round(Batch * Steps * 1000 / (forward + backward), 1));
            w.WriteNumber("inferenceImagesPerSecond", Math.Round(Batch * Steps * 1000 / inference, 1));
            w.WriteNumber("rssMb", Math.Round(Rss.CurrentMb()));
        });
        return 0;
    }
}

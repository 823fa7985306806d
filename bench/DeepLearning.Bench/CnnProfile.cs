using System.Diagnostics;
using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Networks.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// Mode <c>cnn-profile</c>: where a training step of <c>--arch</c> spends its time, in plain TorchSharp
/// (no pipeline): the network the trainer builds, Adam, batches of 128 real Fashion-MNIST images
/// (standardised), two threads. Times <see cref="Steps"/> steps after <see cref="WarmupSteps"/>
/// warm-up steps, phase by phase — batch gather, forward + loss, backward, zero_grad + optimiser step —
/// and the eval-mode forward under no_grad at batch 256. <c>bench/pytorch/cnn.py --profile</c> is the peer.
/// </summary>
internal static class CnnProfile
{
    private const int Steps = 60;
    private const int WarmupSteps = 5;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    public static int Run(BenchOptions options)
    {
        if (CnnBench.Architecture(options.Architecture, options.Width) is not { } spec)
        {
            Console.Error.WriteLine($"cnn-profile: --arch small-cnn, lenet5 or resnet20…56, not '{options.Architecture}'.");
            return 2;
        }

        torch.set_num_threads(2);
        torch.random.manual_seed(1);
        var (pixels, labels, rows, height, width) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Train);
        using var images = torch.tensor(pixels, [rows, 1, height, width]);
        using var targets = torch.tensor(labels.Select(l => (long)l).ToArray());
        double mean = images.mean().item<float>();
        double std = images.std().item<float>();
        using var network = (nn.Module<Tensor, Tensor>)(spec with { InputChannels = 1, InputHeight = height, InputWidth = width, OutputSize = 10 }).Build();
        using var optimizer = torch.optim.Adam(network.parameters(), lr: 1e-3);
        var phases = new double[4];
        using var permutation = torch.randperm(rows);
        network.train();
        for (int step = 0; step < WarmupSteps + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            var index = permutation.narrow(0, (step * 128) % (rows - 128), 128);
            var x = images.index_select(0, index).sub(mean).div(std);
            var y = targets.index_select(0, index);
            double gather = watch.Elapsed.TotalMilliseconds;
            var loss = nn.functional.cross_entropy(network.call(x), y);
            _ = loss.item<float>();
            double forward = watch.Elapsed.TotalMilliseconds;
            loss.backward();
            double backward = watch.Elapsed.TotalMilliseconds;
            optimizer.zero_grad();
            optimizer.step();
            double stepped = watch.Elapsed.TotalMilliseconds;
            if (step >= WarmupSteps)
            {
                phases[0] += gather;
                phases[1] += forward - gather;
                phases[2] += backward - forward;
                phases[3] += stepped - backward;
            }
        }

        network.eval();
        double inference = 0;
        using (torch.no_grad())
        {
            for (int step = 0; step < WarmupSteps + 20; step++)
            {
                using var scope = torch.NewDisposeScope();
                var watch = Stopwatch.StartNew();
                var x = images.narrow(0, (step * 256) % (rows - 256), 256).sub(mean).div(std);
                _ = network.call(x).sum().item<float>();
                if (step >= WarmupSteps)
                {
                    inference += watch.Elapsed.TotalMilliseconds;
                }
            }
        }

        JsonReport.Line(w =>
        {
            w.WriteString("bench", $"torchsharp-profile-{options.Architecture}");
            w.WriteNumber("steps", Steps);
            w.WriteNumber("gatherMs", Math.Round(phases[0] / Steps, 2));
            w.WriteNumber("forwardLossMs", Math.Round(phases[1] / Steps, 2));
            w.WriteNumber("backwardMs", Math.Round(phases[2] / Steps, 2));
            w.WriteNumber("optimizerMs", Math.Round(phases[3] / Steps, 2));
            w.WriteNumber("stepMs", Math.Round(phases.Sum() / Steps, 2));
            w.WriteNumber("inferenceBatch256Ms", Math.Round(inference / 20, 2));
        });
        return 0;
    }
}

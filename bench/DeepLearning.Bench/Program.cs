using System.Globalization;

namespace DeepLearning.Bench;

/// <summary>
/// Benchmarks, one mode per file. Usage:
/// <c>dotnet run -c Release --project bench/DeepLearning.Bench -- MODE [--epochs N] [--data DIR] [--early-stopping] [--cosine]</c>,
/// and for mode <c>cnn</c> <c>[--arch NAME] [--augment | --flip] [--erase] [--optimizer adam|adamw|nesterov] [--lr X] [--weight-decay X] [--width X] [--batch N] [--label-smoothing X] [--no-validation] [--peer [--peer-epochs N]]</c>.
/// Each mode prints one JSON line per epoch and a summary line on standard output.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Description, Func<BenchOptions, int> Run)> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["raw"] = ("Fashion-MNIST MLP 784-256-128-10 trained with plain TorchSharp (the baseline).", RawTorchSharpMlp.Run),
        ["pipeline"] = ("The same MLP through the ML.NET pipeline (MapValueToKey + DeepNeuralNetwork trainer).", PipelineMlp.Run),
        ["compare"] = ("raw, then pipeline, in one process; prints the seconds-per-epoch ratio.", PipelineMlp.Compare),
        ["interleaved"] = ("raw and pipeline interleaved epoch by epoch in one process; prints the per-epoch ratios.", InterleavedMlp.Run),
        ["logreg"] = ("Logistic regression (no hidden layers) through the pipeline; 20 epochs by default.", PipelineMlp.RunLogisticRegression),
        ["cnn-profile"] = ("Plain TorchSharp training steps of --arch, timed phase by phase (gather, forward, backward, optimiser), and eval forward at batch 256.", CnnProfile.Run),
        ["deploy"] = ("Deployment costs of --arch: batch-1 latency and batch-256 throughput through TorchSharp and ONNX Runtime, model file sizes, featurizer images/s.", DeployBench.Run),
        ["yolo"] = ("YOLO on generated 96-px scenes: epochs, held-out mAP@0.5 and mAP@[0.5:0.95], training time, scoring images/s.", YoloBench.Run),
        ["yolo-profile"] = ("Plain TorchSharp training steps (batch 32) and eval forward of the yolo mode's --arch at --size: the convolution backend's cost.", YoloProfile.Run),
        ["nms"] = ("Non-maximum suppression of 1,000 and 5,000 random boxes: median and fastest milliseconds per call.", NmsBench.Run),
        ["face"] = ("face-api's face detector on its demo photographs: per-image latency (median of 20, split prepare / network / decode + NMS) and the DetectFaces transform's images/s.", FaceBench.Run),
        ["cnn-infer"] = ("Inference of --arch at batch 256 (fitted briefly on 6,000 images): our transformer, the same pipeline timed phase by phase, the raw forward, and with --peer PyTorch's pass, 3 rounds.", CnnInferenceBench.Run),
        ["cnn"] = ("A CNN of the zoo (--arch) through the ConvolutionalNeuralNetwork trainer, then inference through TorchSharp and ONNX Runtime.", CnnBench.Run),
    };

    private static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (!TryParse(args, out var mode, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            PrintUsage();
            return 2;
        }

        return Modes[mode].Run(options);
    }

    private static bool TryParse(string[] args, out string mode, out BenchOptions options, out string error)
    {
        mode = string.Empty;
        options = new BenchOptions();
        error = string.Empty;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--epochs" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epochs) || epochs < 1)
                    {
                        error = $"--epochs needs a positive integer, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { RequestedEpochs = epochs };
                    break;
                case "--data" when i + 1 < args.Length:
                    options = options with { DataDirectory = args[++i] };
                    break;
                case "--early-stopping":
                    options = options with { EarlyStopping = true };
                    break;
                case "--cosine":
                    options = options with { Cosine = true };
                    break;
                case "--arch" when i + 1 < args.Length:
                    options = options with { Architecture = args[++i] };
                    break;
                case "--width" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double width) || width is not (> 0 and <= 4))
                    {
                        error = $"--width needs a number in (0, 4], not '{args[i]}'.";
                        return false;
                    }

                    options = options with { Width = width };
                    break;
                case "--augment":
                    options = options with { Augment = true };
                    break;
                case "--pretrain":
                    options = options with { Pretrain = true };
                    break;
                case "--save" when i + 1 < args.Length:
                    options = options with { SavePath = args[++i] };
                    break;
                case "--size" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) || size is < 64 or > 128 || size % 16 != 0)
                    {
                        error = $"--size needs 64, 80, 96, 112 or 128, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { SceneSize = size };
                    break;
                case "--checkpoint" when i + 1 < args.Length:
                    options = options with { CheckpointDirectory = args[++i] };
                    break;
                case "--load" when i + 1 < args.Length:
                    options = options with { LoadPath = args[++i] };
                    break;
                case "--shapes":
                    options = options with { Shapes = true };
                    break;
                case "--flip":
                    options = options with { FlipOnly = true };
                    break;
                case "--erase":
                    options = options with { Erase = true };
                    break;
                case "--optimizer" when i + 1 < args.Length:
                    options = options with { Optimizer = args[++i] };
                    break;
                case "--lr" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate > 0))
                    {
                        error = $"--lr needs a positive number, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { LearningRate = rate };
                    break;
                case "--weight-decay" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double decay) || !(decay >= 0))
                    {
                        error = $"--weight-decay needs a number at least 0, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { WeightDecay = decay };
                    break;
                case "--label-smoothing" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double smoothing) || smoothing is not (>= 0 and < 1))
                    {
                        error = $"--label-smoothing needs a number in [0, 1), not '{args[i]}'.";
                        return false;
                    }

                    options = options with { LabelSmoothing = smoothing };
                    break;
                case "--peer":
                    options = options with { Peer = true };
                    break;
                case "--batch" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int batch) || batch is < 1 or > 4096)
                    {
                        error = $"--batch needs an integer from 1 to 4096, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { BatchSize = batch };
                    break;
                case "--peer-epochs" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int peerEpochs) || peerEpochs < 1)
                    {
                        error = $"--peer-epochs needs a positive integer, not '{args[i]}'.";
                        return false;
                    }

                    options = options with { PeerEpochs = peerEpochs };
                    break;
                case "--score-threshold" when i + 1 < args.Length:
                    if (!TryProbability(arg, args[++i], out double scoreThreshold, out error))
                    {
                        return false;
                    }

                    options = options with { ScoreThreshold = scoreThreshold };
                    break;
                case "--nms-iou" when i + 1 < args.Length:
                    if (!TryProbability(arg, args[++i], out double nmsIou, out error))
                    {
                        return false;
                    }

                    options = options with { NmsIou = nmsIou };
                    break;
                case "--no-validation":
                    options = options with { Validate = false };
                    break;
                case "-h" or "--help":
                    error = "Usage:";
                    return false;
                default:
                    if (arg.StartsWith('-') || mode.Length > 0)
                    {
                        error = $"Unexpected argument '{arg}'.";
                        return false;
                    }

                    mode = arg;
                    break;
            }
        }

        if (mode.Length == 0)
        {
            error = "Give a mode.";
            return false;
        }

        if (!Modes.ContainsKey(mode))
        {
            error = $"Unknown mode '{mode}'.";
            return false;
        }

        return true;
    }

    /// <summary>Reads the value of <paramref name="option"/> as a number in [0, 1]; otherwise says so in <paramref name="error"/>.</summary>
    private static bool TryProbability(string option, string text, out double value, out string error)
    {
        bool valid = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1;
        error = valid ? string.Empty : $"{option} needs a number in [0, 1], not '{text}'.";
        return valid;
    }

    private static void PrintUsage()
    {
        Console.Error.WriteLine("dotnet run -c Release --project bench/DeepLearning.Bench -- MODE [--epochs N] [--data DIR] [--early-stopping] [--cosine]");
        Console.Error.WriteLine("  cnn options: [--arch small-cnn|lenet5|resnet20|resnet32|resnet44|resnet56] [--width X (small-cnn)] [--batch N (default 128)] [--augment | --flip] [--erase] [--optimizer adam|adamw|nesterov] [--lr X] [--weight-decay X] [--label-smoothing X] [--no-validation] [--peer [--peer-epochs N] | --checkpoint DIR]");
        Console.Error.WriteLine("  yolo options: [--arch tiny|tiny-wide|wide] [--augment] [--pretrain] [--shapes] [--lr X] [--weight-decay X] [--size 64..128] [--save PATH | --load PATH] [--checkpoint DIR] [--score-threshold X (default 0.01)] [--nms-iou X (default 0.45)]");
        Console.Error.WriteLine("Modes:");
        foreach (var (name, (description, _)) in Modes)
        {
            Console.Error.WriteLine($"  {name,-8} {description}");
        }
    }
}

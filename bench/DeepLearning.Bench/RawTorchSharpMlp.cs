using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Bench;

/// <summary>
/// The baseline: the Fashion-MNIST MLP 784-256-128-10 (ReLU, dropout 0.2 after each hidden layer)
/// trained with plain TorchSharp, no ML.NET: Adam lr 1e-3, batch 128, two threads, seed 1. The data
/// is one float tensor and one int64 tensor; every epoch draws a permutation and slices batches
/// with index_select, each batch inside its own dispose scope.
/// </summary>
internal static class RawTorchSharpMlp
{
    private const string Name = "raw-torchsharp-mlp";
    private const int BatchSize = 128;
    private const int EvalBatchSize = 1024;

    public static int Run(BenchOptions options)
    {
        Train(options);
        return 0;
    }

    /// <summary>Trains, printing one JSON line per epoch and the summary, and returns the epochs' measurements.</summary>
    public static IReadOnlyList<EpochResult> Train(BenchOptions options)
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        var (train, test, source) = BenchData.Load(options);

        using var trainX = torch.tensor(train.Pixels, [train.Rows, train.Size]);
        using var trainY = torch.tensor(ToInt64(train.Labels), [train.Rows]);
        using var testX = torch.tensor(test.Pixels, [test.Rows, test.Size]);
        using var testY = torch.tensor(ToInt64(test.Labels), [test.Rows]);

        using var model = nn.Sequential(
            ("fc1", nn.Linear(train.Size, 256)),
            ("relu1", nn.ReLU()),
            ("drop1", nn.Dropout(0.2)),
            ("fc2", nn.Linear(256, 128)),
            ("relu2", nn.ReLU()),
            ("drop2", nn.Dropout(0.2)),
            ("fc3", nn.Linear(128, 10)));
        using var optimizer = torch.optim.Adam(model.parameters(), lr: 1e-3);

        double startRss = Rss.CurrentMb();
        var results = new List<EpochResult>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            model.train();
            double lossSum = 0;
            int batches = 0;
            using (var permutation = torch.randperm(train.Rows))
            {
                for (int start = 0; start < train.Rows; start += BatchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    int length = Math.Min(BatchSize, train.Rows - start);
                    var index = permutation.narrow(0, start, length);
                    var x = trainX.index_select(0, index);
                    var y = trainY.index_select(0, index);
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(model.forward(x), y);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    batches++;
                }
            }

            double seconds = watch.Elapsed.TotalSeconds;
            double accuracy = Evaluate(model, testX, testY);
            var result = new EpochResult(epoch, seconds, train.Rows / seconds, lossSum / batches, accuracy, Rss.CurrentMb());
            results.Add(result);
            JsonReport.Epoch(Name, result);
        }

        JsonReport.Summary(Name, source, results, startRss);
        return results;
    }

    private static double Evaluate(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        long rows = x.shape[0];
        long correct = 0;
        for (long start = 0; start < rows; start += EvalBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(EvalBatchSize, rows - start);
            var predicted = model.forward(x.narrow(0, start, length)).argmax(1);
            correct += predicted.eq(y.narrow(0, start, length)).sum().item<long>();
        }

        return (double)correct / rows;
    }

    private static long[] ToInt64(float[] labels)
    {
        var result = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            result[i] = (long)labels[i];
        }

        return result;
    }
}

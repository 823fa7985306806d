using DeepLearning.Trainers.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

public class TorchStateTests
{
    [Fact]
    public void ConcurrentFitsGiveTheSameWeightsAsSequentialFits()
    {
        using var data = TrainingData.Make(256, 1);
        Tensor[] Fit(int seed)
        {
            var options = new TestOptions { Seed = seed, Epochs = 3, NumberOfThreads = 1 };
            using (TorchState.Enter(options.Seed, options.NumberOfThreads))
            {
                using var network = TrainingData.Network(dropout: 0.3);
                new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data);
                return TrainingData.CloneParameters(network);
            }
        }

        var sequential = new[] { Fit(11), Fit(12) };
        var concurrent = new Tensor[2][];
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            concurrent[i] = Fit(11 + i);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        for (var fit = 0; fit < 2; fit++)
        {
            Assert.All(sequential[fit].Zip(concurrent[fit]), p => Assert.True(TrainingData.Same(p.First, p.Second)));
        }

        Assert.Contains(sequential[0].Zip(sequential[1]), p => !TrainingData.Same(p.First, p.Second));
        foreach (var tensor in sequential.Concat(concurrent).SelectMany(t => t))
        {
            tensor.Dispose();
        }
    }

    [Fact]
    public void SeedsAndSetsThreadsThenRestoresBoth()
    {
        var threadsBefore = get_num_threads();
        var otherThreads = threadsBefore == 1 ? 2 : 1;
        random.manual_seed(1234).Dispose();
        using var before = random.get_rng_state();
        using (TorchState.Enter(7, otherThreads))
        {
            Assert.Equal(otherThreads, get_num_threads());
            using var drawn = rand(5);
            random.manual_seed(7).Dispose();
            using var expected = rand(5);
            Assert.True(TrainingData.Same(expected, drawn));
        }

        Assert.Equal(threadsBefore, get_num_threads());
        using var after = random.get_rng_state();
        Assert.True(TrainingData.Same(before, after));
    }

    [Fact]
    public void WithoutAThreadCountTheCurrentOneIsKept()
    {
        var threads = get_num_threads();
        using (TorchState.Enter(1, null))
        {
            Assert.Equal(threads, get_num_threads());
        }
    }
}

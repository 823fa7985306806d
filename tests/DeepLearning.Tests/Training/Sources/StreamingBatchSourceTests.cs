using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Sources;

public class StreamingBatchSourceTests
{
    [Fact]
    public void ReadsTheSameRowsAsTheCacheInOrder()
    {
        var view = ExampleViews.View(60, 1);
        using var streaming = new StreamingBatchSource(ExampleViews.Layout(view), CPU);
        using var cached = TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out _)!;
        var streamed = SourceReading.ReadPass(streaming, BatchOrder.Sequential);
        var read = SourceReading.ReadPass(cached, BatchOrder.Sequential);
        Assert.Equal(60, streaming.CountRows());
        Assert.Equal(read.Inputs, streamed.Inputs);
        Assert.Equal(read.Targets, streamed.Targets);
        Assert.Equal(read.Batches, streamed.Batches);
    }

    [Fact]
    public void UnshuffledStreamingGivesTheSameFirstEpochLossAsCaching()
    {
        var view = ExampleViews.View(300, 2);
        var options = new TestOptions { Epochs = 1, Shuffle = false, Optimizer = OptimizerKind.Adam, LearningRate = 0.01 };
        (double Loss, Tensor[] Parameters) Train(IBatchSource source)
        {
            using (source)
            using (var network = TrainingData.PreparedNetwork(options))
            {
                var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), source);
                return (history[0].TrainingLoss, TrainingData.CloneParameters(network));
            }
        }

        var cached = Train(TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out _)!);
        var streamed = Train(new StreamingBatchSource(ExampleViews.Layout(view), CPU));
        Assert.Equal(cached.Loss, streamed.Loss);
        Assert.All(cached.Parameters.Zip(streamed.Parameters), p => Assert.True(TrainingData.Same(p.First, p.Second)));
        foreach (var tensor in cached.Parameters.Concat(streamed.Parameters))
        {
            tensor.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainsOnDataLargerThanTheCacheBudget(bool hideRowCount)
    {
        var view = ExampleViews.View(512, 3);
        var data = hideRowCount ? new OpaqueDataView(view) : view;
        var lines = new List<string>();
        var budget = 100 * TensorCache.BytesPerRow(ExampleViews.Layout(view));
        using var source = BatchSourceFactory.Create(ExampleViews.Layout(data), CPU, budget, BatchSourceMode.Auto, lines.Add);
        Assert.IsType<StreamingBatchSource>(source);
        Assert.Contains(lines, l => l.StartsWith("Streaming: ", StringComparison.Ordinal) && l.Contains($"exceed MaxCacheBytes = {budget / 1e6:F1} MB", StringComparison.Ordinal));

        var options = new TestOptions { Epochs = 4, Optimizer = OptimizerKind.Adam, LearningRate = 0.02, ValidationFraction = 0.2 };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), source);
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss * 0.8, $"loss {history[0].TrainingLoss} -> {history[^1].TrainingLoss}");
        Assert.True(history[^1].ValidationMetric > 0.8, $"validation accuracy {history[^1].ValidationMetric}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AReaderErrorSurfacesOnTheCallingThreadWithItsMessage(bool viaLoop)
    {
        using var source = new StreamingBatchSource(ExampleViews.Layout(ExampleViews.View(100, 4, badLabelRow: 17)), CPU);
        var options = new TestOptions { Epochs = 1, Shuffle = false, BatchSize = 5 };
        using var network = TrainingData.PreparedNetwork(options);
        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            if (viaLoop)
            {
                new TrainingLoop(options).Run(network, new CrossEntropyObjective(), source);
            }
            else
            {
                SourceReading.ReadPass(source, BatchOrder.Sequential, batchSize: 5);
            }
        });
        Assert.Equal(ExampleViews.BadLabelMessage(17), exception.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ShuffledPassesArePermutationsDeterminedByTheSeed(bool cursorCannotShuffle)
    {
        var view = ExampleViews.View(150, 5, rowIndexFeature: true);
        using var source = new StreamingBatchSource(ExampleViews.Layout(cursorCannotShuffle ? new OpaqueDataView(view) : view), CPU, shuffleBufferRows: 16);
        var first = SourceReading.RowIds(source, BatchOrder.Shuffled(1));
        Assert.Equal(Enumerable.Range(0, 150), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 150), first);
        Assert.Equal(first, SourceReading.RowIds(source, BatchOrder.Shuffled(1)));
        Assert.NotEqual(first, SourceReading.RowIds(source, BatchOrder.Shuffled(2)));
    }

    [Fact]
    public void HoldsOutTheSameRowsAsTheCachedSource()
    {
        var view = ExampleViews.View(300, 6, rowIndexFeature: true);
        using var streaming = new StreamingBatchSource(ExampleViews.Layout(view), CPU);
        using var cached = TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out _)!;
        var (streamTrain, streamValidation) = streaming.Split(0.3, seed: 9);
        var (cacheTrain, cacheValidation) = cached.Split(0.3, seed: 9);
        using (streamTrain)
        using (streamValidation)
        using (cacheTrain)
        using (cacheValidation)
        {
            var validation = SourceReading.RowIds(streamValidation, BatchOrder.Sequential);
            Assert.Equal(SourceReading.RowIds(cacheValidation, BatchOrder.Sequential), validation);
            Assert.Equal(SourceReading.RowIds(cacheTrain, BatchOrder.Sequential), SourceReading.RowIds(streamTrain, BatchOrder.Sequential));
            Assert.Equal(validation.Length, streamValidation.CountRows());
            Assert.Equal(300 - validation.Length, streamTrain.CountRows());

            // The held-out rows do not depend on the cursor's shuffle.
            Assert.Equal(validation, SourceReading.RowIds(streamValidation, BatchOrder.Shuffled(4)).Order());
        }
    }

    [Fact]
    public void ASamplersIndicesAreRejected()
    {
        using var source = new StreamingBatchSource(ExampleViews.Layout(ExampleViews.View(10, 7)), CPU);
        using var order = arange(10, ScalarType.Int64);
        Assert.Throws<NotSupportedException>(() => source.Open(4, BatchOrder.Indexed(order)));
    }

    [Fact]
    public void DisposingInTheMiddleOfAPassStopsTheBackgroundReader()
    {
        using var source = new StreamingBatchSource(ExampleViews.Layout(ExampleViews.View(2000, 8)), CPU);
        for (var i = 0; i < 20; i++)
        {
            using var reader = source.Open(4, BatchOrder.Shuffled(i));
            using var scope = NewDisposeScope();
            Assert.True(reader.TryRead(out var batch));
            Assert.Equal(4, batch.Rows);
        }
    }
}

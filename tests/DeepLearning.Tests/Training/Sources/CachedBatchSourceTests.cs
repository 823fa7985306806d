using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Sources;

public class CachedBatchSourceTests
{
    [Fact]
    public void ReadsEveryRowOnceIntoOneTensorInOrder()
    {
        var view = ExampleViews.View(50, 1);
        using var source = TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out var rows)!;
        var (x, y) = TrainingData.MakeTensors(50, 1);
        using (x)
        using (y)
        {
            Assert.Equal(50, rows);
            Assert.Equal(50, source.Count);
            Assert.Equal([50L, TrainingData.Inputs], source.Inputs.shape);
            Assert.Equal(ScalarType.Int64, source.Targets.dtype);
            Assert.True(TrainingData.Same(source.Inputs, x));
            Assert.True(TrainingData.Same(source.Targets, y));
        }
    }

    [Fact]
    public void GrowsByChunksWhenTheRowCountIsUnknown()
    {
        var view = new OpaqueDataView(ExampleViews.View(95, 2));
        var rowBytes = TensorCache.BytesPerRow(ExampleViews.Layout(view));
        using var chunked = TensorCache.TryRead(ExampleViews.Layout(view), CPU, 1 << 20, out var rows, chunkBytes: 10 * rowBytes)!;
        using var whole = TensorCache.TryRead(ExampleViews.Layout(ExampleViews.View(95, 2)), CPU, 1 << 20, out _)!;
        Assert.Equal(95, rows);
        Assert.Equal([95L, TrainingData.Inputs], chunked.Inputs.shape);
        Assert.True(chunked.Inputs.is_contiguous());
        Assert.True(TrainingData.Same(chunked.Inputs, whole.Inputs));
        Assert.True(TrainingData.Same(chunked.Targets, whole.Targets));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataOverTheBudgetIsNotCached(bool hideRowCount)
    {
        var view = ExampleViews.View(100, 3);
        var layout = ExampleViews.Layout(hideRowCount ? new OpaqueDataView(view) : view);
        var budget = 40 * TensorCache.BytesPerRow(layout);
        Assert.Null(TensorCache.TryRead(layout, CPU, budget, out var rows, chunkBytes: 16 * TensorCache.BytesPerRow(layout)));
        Assert.Equal(hideRowCount ? 40 : 0, rows);
        using var fits = TensorCache.TryRead(layout, CPU, 100 * TensorCache.BytesPerRow(layout), out rows);
        Assert.NotNull(fits);
        Assert.Equal(100, rows);
    }

    [Fact]
    public void SplitPartsIndexTheSameTensorAndPartitionTheRowsBySeed()
    {
        using var source = TensorCache.TryRead(ExampleViews.Layout(ExampleViews.View(200, 4, rowIndexFeature: true)), CPU, 1 << 20, out _)!;
        var (train, validation) = source.Split(0.25, seed: 7);
        using (train)
        using (validation)
        {
            // No copy of the data: both parts read the source's one input tensor.
            Assert.Same(source.Inputs, ((CachedBatchSource)train).Inputs);
            Assert.Same(source.Inputs, ((CachedBatchSource)validation).Inputs);

            var trainRows = SourceReading.RowIds(train, BatchOrder.Sequential);
            var validationRows = SourceReading.RowIds(validation, BatchOrder.Sequential);
            Assert.Equal(Enumerable.Range(0, 200), trainRows.Concat(validationRows).Order());
            Assert.InRange(validationRows.Length, 30, 70);
            Assert.Equal(validationRows.Order(), validationRows);
            Assert.Equal(validationRows, Enumerable.Range(0, 200).Where(i => RowSplit.IsValidation((ulong)i, 7, 0.25)));

            var (otherTrain, otherValidation) = source.Split(0.25, seed: 8);
            using (otherTrain)
            using (otherValidation)
            {
                Assert.NotEqual(validationRows, SourceReading.RowIds(otherValidation, BatchOrder.Sequential));
            }
        }
    }

    [Fact]
    public void PassesFollowTheOrderInConsecutiveBatches()
    {
        using var source = TensorCache.TryRead(ExampleViews.Layout(ExampleViews.View(20, 5, rowIndexFeature: true)), CPU, 1 << 20, out _)!;
        Assert.Equal(Enumerable.Range(0, 20), SourceReading.RowIds(source, BatchOrder.Sequential));
        Assert.Equal([7L, 7L, 6L], SourceReading.ReadPass(source, BatchOrder.Sequential).Batches);

        using var order = tensor(new long[] { 4, 2, 0, 19, 4 });
        Assert.Equal([4, 2, 0, 19, 4], SourceReading.RowIds(source, BatchOrder.Indexed(order)));

        var shuffled = SourceReading.RowIds(source, BatchOrder.Shuffled(3));
        Assert.Equal(Enumerable.Range(0, 20), shuffled.Order());
        Assert.NotEqual(Enumerable.Range(0, 20), shuffled);
        Assert.Equal(shuffled, SourceReading.RowIds(source, BatchOrder.Shuffled(3)));

        // A part maps its own row numbers to the stored rows.
        var (train, validation) = source.Split(0.5, seed: 1);
        using (train)
        using (validation)
        {
            var rows = SourceReading.RowIds(validation, BatchOrder.Sequential);
            using var reversed = arange(rows.Length - 1, -1, -1, ScalarType.Int64);
            Assert.Equal(rows.Reverse(), SourceReading.RowIds(validation, BatchOrder.Indexed(reversed)));
        }
    }
}

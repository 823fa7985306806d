using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Sources;

public class BatchSourceFactoryTests
{
    [Fact]
    public void AutoCachesDataThatFitsAndSaysSo()
    {
        var lines = new List<string>();
        using var source = BatchSourceFactory.Create(ExampleViews.Layout(ExampleViews.View(100, 1)), CPU, 1 << 20, BatchSourceMode.Auto, lines.Add);
        var cached = Assert.IsType<CachedBatchSource>(source);
        Assert.Equal(100, cached.Count);
        Assert.Equal(["Caching 100 rows (0.0 MB) as one tensor on cpu."], lines);
    }

    [Fact]
    public void AutoStreamsDataOverTheBudgetAndSaysWhy()
    {
        var lines = new List<string>();
        using var source = BatchSourceFactory.Create(ExampleViews.Layout(ExampleViews.View(100, 1)), CPU, 1000, BatchSourceMode.Auto, lines.Add);
        Assert.IsType<StreamingBatchSource>(source);
        Assert.Equal(["Streaming: 0.0 MB of examples (100 rows) exceed MaxCacheBytes = 0.0 MB."], lines);
    }

    [Fact]
    public void CachedModeRejectsDataOverTheBudgetNamingIt()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => BatchSourceFactory.Create(ExampleViews.Layout(new OpaqueDataView(ExampleViews.View(100, 1))), CPU, 1000, BatchSourceMode.Cached, null));
        Assert.Contains("MaxCacheBytes = 1000 bytes", exception.Message);
    }

    [Fact]
    public void StreamingModeStreamsEvenSmallData()
    {
        var lines = new List<string>();
        using var source = BatchSourceFactory.Create(ExampleViews.Layout(ExampleViews.View(10, 1)), CPU, 1 << 20, BatchSourceMode.Streaming, lines.Add);
        Assert.IsType<StreamingBatchSource>(source);
        Assert.Equal(["Streaming 10 rows (0.0 MB): BatchSourceMode is Streaming."], lines);
    }
}

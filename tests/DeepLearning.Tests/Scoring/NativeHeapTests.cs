using DeepLearning.Transforms.Scoring;

namespace DeepLearning.Tests.Scoring;

public class NativeHeapTests
{
    [Fact]
    public void AppliesOnLinuxWhenNothingIsSet()
        => Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.ShouldApply(_ => null));

    [Fact]
    public void TheOptOutVariableKeepsTheDefaults()
    {
        Assert.False(NativeHeap.ShouldApply(name => name == NativeHeap.OptOutVariable ? "1" : null));
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.ShouldApply(name => name == NativeHeap.OptOutVariable ? "0" : null));
    }

    [Theory]
    [InlineData("MALLOC_MMAP_THRESHOLD_")]
    [InlineData("MALLOC_TRIM_THRESHOLD_")]
    [InlineData("MALLOC_TOP_PAD_")]
    [InlineData("MALLOC_MMAP_MAX_")]
    public void AThresholdSetByTheUserStands(string variable)
        => Assert.False(NativeHeap.ShouldApply(name => name == variable ? "1048576" : null));

    [Fact]
    public void MalloptTakesTheThresholdsOnGlibc()
    {
        // glibc accepts an mmap threshold of at most 32 MB on 64-bit; mallopt returns 0 for a larger one.
        Assert.True(NativeHeap.MmapThresholdBytes <= 32 << 20);
        Assert.True(NativeHeap.TrimThresholdBytes >= NativeHeap.MmapThresholdBytes);
        bool glibc = OperatingSystem.IsLinux() && File.Exists("/usr/bin/ldd") && !File.Exists("/lib/ld-musl-x86_64.so.1");
        if (glibc)
        {
            Assert.Equal(NativeHeap.ShouldApply(Environment.GetEnvironmentVariable), NativeHeap.EnsureConfigured());
        }
    }
}

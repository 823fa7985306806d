namespace DeepLearning.Tests;

/// <summary>A test class with its own temporary folder (<see cref="Dir"/>), deleted after each test.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    /// <summary>Creates the folder, named after the test class.</summary>
    protected TempDirectoryTest() => Dir = Directory.CreateTempSubdirectory($"dl-{GetType().Name}-").FullName;

    /// <summary>The test's folder.</summary>
    protected string Dir { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}

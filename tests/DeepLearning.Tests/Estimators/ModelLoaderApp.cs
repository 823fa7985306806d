namespace DeepLearning.Tests.Estimators;

/// <summary>The model-loading app built beside the tests (tests/DeepLearning.ModelLoader), used to load models in another process.</summary>
internal static class ModelLoaderApp
{
    /// <summary>Its entry assembly: tests/DeepLearning.Tests/bin/&lt;Configuration&gt;/net10.0 → tests/DeepLearning.ModelLoader/bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string Path
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var configuration = here.Parent!.Name;
            var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
            var path = System.IO.Path.Combine(tests, "DeepLearning.ModelLoader", "bin", configuration, here.Name, "DeepLearning.ModelLoader.dll");
            Assert.True(File.Exists(path), $"The loader was not built at {path}.");
            return path;
        }
    }
}

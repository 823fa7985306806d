using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DeepLearning.Transforms.MlNet;

/// <summary>ML.NET's internal data helpers that have no public entry point.</summary>
internal static class MlNetData
{
    /// <summary>The rows of <paramref name="sources"/> one after the other, without copying (ML.NET's <c>AppendRowsDataView</c>).</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="sources">Views with the same columns and types.</param>
    /// <exception cref="ArgumentException">The schemas differ.</exception>
    public static IDataView AppendRows(IHostEnvironment environment, params IDataView[] sources)
    {
        try
        {
            return AppendRowsDataView.Create(environment, null, sources);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The data views cannot be appended: {e.Message}", nameof(sources), e);
        }
    }

    /// <summary>The seed the <c>MLContext</c> was created with, if any.</summary>
    /// <param name="environment">The environment.</param>
    public static int? Seed(IHostEnvironment environment) => (environment as IHostEnvironmentInternal)?.Seed;
}

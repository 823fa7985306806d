namespace DeepLearning.Samples.Shared;

/// <summary>The command-line options every sample takes.</summary>
/// <param name="Epochs">The value of <c>--epochs</c>, or <see langword="null"/> when it is not given.</param>
/// <param name="DataDirectory">The value of <c>--data</c>: where the four Fashion-MNIST IDX files are.</param>
/// <param name="OutputPath">The value of <c>--output</c> as a full path: the sample's file or directory of results.</param>
/// <param name="Quick">Whether <c>--quick</c> asks for a smoke run.</param>
internal sealed record CommonOptions(int? Epochs, string DataDirectory, string OutputPath, bool Quick)
{
    /// <summary>The epochs to train: 1 for a smoke run, else <see cref="Epochs"/> or <paramref name="defaultEpochs"/>.</summary>
    /// <param name="defaultEpochs">The sample's default when <c>--epochs</c> is not given.</param>
    /// <returns>The maximum number of epochs per model.</returns>
    public int EpochsOr(int defaultEpochs) => Quick ? 1 : Epochs ?? defaultEpochs;
}

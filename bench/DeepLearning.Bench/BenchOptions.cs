using DeepLearning.Transforms.Data;

namespace DeepLearning.Bench;

/// <summary>Options shared by all benchmark modes.</summary>
/// <param name="RequestedEpochs">The number of training epochs given with <c>--epochs</c>, or <see langword="null"/> for the mode's default.</param>
/// <param name="DataDirectory">Where the Fashion-MNIST IDX files are.</param>
/// <param name="EarlyStopping">Pipeline modes: hold out 10% and stop after 3 epochs without improvement (<c>--early-stopping</c>).</param>
/// <param name="Cosine">Pipeline modes: anneal the learning rate to 0 with a cosine schedule over the run (<c>--cosine</c>).</param>
internal sealed record BenchOptions(int? RequestedEpochs = null, string DataDirectory = IdxDataset.DefaultDirectory, bool EarlyStopping = false, bool Cosine = false)
{
    /// <summary>The default number of epochs of most modes.</summary>
    public const int DefaultEpochs = 5;

    /// <summary>The number of training epochs: <see cref="RequestedEpochs"/> or <see cref="DefaultEpochs"/>.</summary>
    public int Epochs => RequestedEpochs ?? DefaultEpochs;
}

using DeepLearning.Transforms.Data;

namespace DeepLearning.Bench;

/// <summary>Options shared by all benchmark modes.</summary>
/// <param name="Epochs">The number of training epochs.</param>
/// <param name="DataDirectory">Where the Fashion-MNIST IDX files are.</param>
internal sealed record BenchOptions(int Epochs = 5, string DataDirectory = IdxDataset.DefaultDirectory);

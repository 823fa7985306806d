using DeepLearning.Tests.Training;
using DeepLearning.Trainers.Augmentation;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

internal static class Images
{
    /// <summary>Gaussian images from a fixed generator.</summary>
    public static Tensor Random(long batch, long channels, long height, long width, ulong seed = 7)
    {
        using var generator = new Generator(seed);
        return randn([batch, channels, height, width], generator: generator);
    }

    /// <summary>One step alone, through a pipeline (seed 1, epoch 1, batch 1).</summary>
    public static Tensor Run(AugmentationStep step, Tensor input, int seed = 1)
        => new AugmentationPipeline([step], seed).Apply(input, 1, 1);

    /// <summary>Whether two tensors have the same shape and elements.</summary>
    public static bool Same(this Tensor a, Tensor b) => TrainingData.Same(a, b);
}

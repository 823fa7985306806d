using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Tasks;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

/// <summary>
/// Mixup and CutMix against an oracle built into the data: sample i is the constant image i of
/// class i, so a mixed sample's pixels (mixup) or mean pixel (CutMix) must equal the
/// target-weighted mean class index of its soft target.
/// </summary>
public class BatchMixingTests
{
    private const int Rows = 12;

    public static TheoryData<BatchMixing> Mixings => new() { new Mixup { Alpha = 1 }, new CutMix() };

    [Theory]
    [MemberData(nameof(Mixings))]
    public void ImagesAndTargetsAreMixedByTheSameWeight(BatchMixing mixing)
    {
        using var scope = NewDisposeScope();
        var (input, target) = Mixed(mixing, seed: 1);
        Assert.Equal([Rows, Rows], target.shape);
        Assert.True(target.sum(1).sub(1).abs().max().item<float>() < 1e-6);
        var expected = target.matmul(arange(Rows, ScalarType.Float32));
        var actual = mixing is Mixup ? input.amax([1, 2, 3]) : input.mean([1, 2, 3]);
        Assert.True(actual.sub(expected).abs().max().item<float>() < 1e-4, "the pixels do not match the targets' weights");
        if (mixing is Mixup)
        {
            Assert.True(input.amax([1, 2, 3]).sub(input.amin([1, 2, 3])).abs().max().item<float>() < 1e-5, "mixup blends whole images");
        }

        // Some samples really are mixed: their target is not one-hot.
        Assert.True(target.amax(1).lt(0.999).sum().item<long>() > 0);
    }

    [Theory]
    [MemberData(nameof(Mixings))]
    public void ProbabilityZeroLeavesImagesAndOneHotTargets(BatchMixing mixing)
    {
        using var scope = NewDisposeScope();
        var (input, target) = Mixed(mixing with { Probability = 0 }, seed: 1);
        Assert.True(input.Same(Constants()));
        Assert.True(target.Same(eye(Rows)));
    }

    [Fact]
    public void TheSameSeedEpochAndBatchGiveTheSameMix()
    {
        using var scope = NewDisposeScope();
        var (first, _) = Mixed(new CutMix(), seed: 3);
        Assert.True(first.Same(Mixed(new CutMix(), seed: 3).Input));
        Assert.False(first.Same(Mixed(new CutMix(), seed: 4).Input));
        Assert.False(first.Same(Mixed(new CutMix(), seed: 3, batchNumber: 2).Input));
    }

    [Fact]
    public void SingleTargetsMixLinearlyAndEmbeddingsRefuse()
    {
        using var scope = NewDisposeScope();
        var weight = tensor(new[] { 0.25f, 1f });
        var mixed = new RegressionTask().MixTargets(tensor(new[] { 4f, 2f }), tensor(new[] { 8f, 6f }), weight, 1);
        Assert.Equal(new[] { 7f, 2f }, mixed.data<float>().ToArray());
        var e = Assert.Throws<NotSupportedException>(() => new EmbeddingTask(4, 1, "Embedding").MixTargets(tensor(new[] { 1L, 2L }), tensor(new[] { 2L, 1L }), weight, 4));
        Assert.Contains(nameof(EmbeddingTask), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsAreValidatedAndSavedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Mixup { Alpha = 0 }.Validate());
        Assert.Equal("Mixup.Alpha", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new CutMix { Probability = 2 }.Validate());
        Assert.Equal("CutMix.Probability", e.ParamName);

        BatchMixing mixing = new CutMix { Alpha = 0.5, Probability = 0.3 };
        var json = NamedTypes.Write(mixing);
        Assert.Equal("cutmix", json["type"]!.GetValue<string>());
        Assert.Equal(mixing, NamedTypes.Read<BatchMixing>(json, "mixing"));
        Assert.Equal(new Mixup(), NamedTypes.Read<BatchMixing>(NamedTypes.Write<BatchMixing>(new Mixup()), "mixing"));
    }

    /// <summary>Constant images 0, 1, …, 11 of 1×8×8, class i each.</summary>
    private static Tensor Constants() => arange(Rows, ScalarType.Float32).view(Rows, 1, 1, 1).expand(Rows, 1, 8, 8).contiguous();

    private static (Tensor Input, Tensor Target) Mixed(BatchMixing mixing, int seed, int batchNumber = 1)
    {
        var task = new MulticlassClassificationTask();
        var augmentation = new MixingAugmentation(mixing, (t, p, w) => task.MixTargets(t, p, w, Rows), seed, inner: null);
        var batch = augmentation.Apply(new Batch(Constants(), arange(Rows, ScalarType.Int64)), 1, batchNumber);
        return (batch.Input, batch.Target);
    }
}

using DeepLearning.Transforms.Detection;
using DeepLearning.Transforms.Networks.Architectures;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>Sliding windows by convolution: one pass over a large image equals scoring every crop with the classifier (the oracle), and unsupported classifiers are named.</summary>
public sealed class SlidingWindowClassifierTests
{
    [Fact]
    public void OnePassScoresEveryWindowAsTheClassifierScoresItsCrop()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        var spec = new LeNet5Spec { InputHeight = 32, InputWidth = 32, OutputSize = 7 };
        using var classifier = (ImageClassifier)spec.Build();
        classifier.eval();
        using var sliding = SlidingWindowClassifier.FromClassifier(spec, classifier);
        sliding.eval();
        Assert.Equal((32, 32, 4), (sliding.WindowHeight, sliding.WindowWidth, sliding.Stride));

        using var noGrad = no_grad();
        var images = rand(2, 1, 48, 44);
        var scores = sliding.call(images);
        Assert.Equal(new long[] { 2, 7, 5, 4 }, scores.shape);
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                var crop = images[.., .., (4 * i)..((4 * i) + 32), (4 * j)..((4 * j) + 32)];
                var expected = classifier.call(crop);
                var difference = (scores[.., .., i, j] - expected).abs().max().item<float>();
                Assert.True(difference < 1e-5, $"window ({i}, {j}): difference {difference}");
            }
        }

        // The copy is independent: changing the classifier afterwards does not change the sliding scores.
        classifier.parameters().First().add_(1);
        Assert.Equal(scores.data<float>().ToArray(), sliding.call(images).data<float>().ToArray());
    }

    [Fact]
    public void ClassifiersThatPoolBeforeTheHeadOrImagesSmallerThanAWindowAreRefused()
    {
        using var scope = NewDisposeScope();
        var resnet = new ResNetSpec { Variant = ResNetVariant.ResNet20, InputChannels = 1, InputHeight = 28, InputWidth = 28, OutputSize = 10 };
        using var network = (ImageClassifier)resnet.Build();
        Assert.Contains("ResNetSpec", Assert.Throws<NotSupportedException>(() => SlidingWindowClassifier.FromClassifier(resnet, network)).Message, StringComparison.Ordinal);

        var lenet = new LeNet5Spec { InputHeight = 32, InputWidth = 32 };
        using var classifier = (ImageClassifier)lenet.Build();
        using var sliding = SlidingWindowClassifier.FromClassifier(lenet, classifier);
        Assert.Contains("32×32", Assert.Throws<ArgumentException>(() => sliding.call(zeros(1, 1, 31, 40))).Message, StringComparison.Ordinal);
    }
}
